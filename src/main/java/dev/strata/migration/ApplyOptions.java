package dev.strata.migration;

import java.time.Duration;

/**
 * How to apply migrations.
 *
 * @param dryRun             print the plan, execute nothing
 * @param target             apply only migrations numbered up to this (and their dependencies), or null
 * @param lockWait           how long to wait for the migration lock
 * @param lockTimeoutMs      {@code lock_timeout} for each migration's statements, ms (0 = none)
 * @param statementTimeoutMs {@code statement_timeout} for each migration's statements, ms (0 = none)
 */
public record ApplyOptions(boolean dryRun, Long target, Duration lockWait, long lockTimeoutMs,
                           long statementTimeoutMs) {

    /** Defaults: wait up to 60 s for the lock, 10 s lock_timeout, no statement_timeout. */
    public static ApplyOptions defaults() {
        return new ApplyOptions(false, null, Duration.ofSeconds(60), 10_000, 0);
    }

    /** A copy with {@code dryRun} set. */
    public ApplyOptions withDryRun(boolean value) {
        return new ApplyOptions(value, target, lockWait, lockTimeoutMs, statementTimeoutMs);
    }

    /** A copy with {@code target} set. */
    public ApplyOptions withTarget(Long value) {
        return new ApplyOptions(dryRun, value, lockWait, lockTimeoutMs, statementTimeoutMs);
    }
}
