package dev.strata.engine;

import java.time.Duration;

/**
 * How to apply migrations.
 *
 * @param dryRun             print the plan, execute nothing
 * @param target             apply only migrations numbered up to this (and their dependencies), or null
 * @param lockWait           how long to wait for the migration lock
 * @param lockTimeoutMs      {@code lock_timeout} for each migration's statements, ms (0 = none)
 * @param statementTimeoutMs {@code statement_timeout} for each migration's statements, ms (0 = none)
 * @param lockRetries        how often a migration that hit {@code lock_timeout} (SQLSTATE 55P03) is
 *                           retried, after 1 s, 2 s, 4 s … (it was rolled back, so a retry is safe)
 */
public record ApplyOptions(boolean dryRun, Long target, Duration lockWait, long lockTimeoutMs,
                           long statementTimeoutMs, int lockRetries) {

    /** Defaults: wait up to 60 s for the migration lock, 10 s lock_timeout, 3 retries, no statement_timeout. */
    public static ApplyOptions defaults() {
        return new ApplyOptions(false, null, Duration.ofSeconds(60), 10_000, 0, 3);
    }

    /** A copy with {@code dryRun} set. */
    public ApplyOptions withDryRun(boolean value) {
        return new ApplyOptions(value, target, lockWait, lockTimeoutMs, statementTimeoutMs, lockRetries);
    }

    /** A copy with {@code target} set. */
    public ApplyOptions withTarget(Long value) {
        return new ApplyOptions(dryRun, value, lockWait, lockTimeoutMs, statementTimeoutMs, lockRetries);
    }

    /** A copy with the statement lock_timeout (ms) and retry count set. */
    public ApplyOptions withLockTimeout(long ms, int retries) {
        return new ApplyOptions(dryRun, target, lockWait, ms, statementTimeoutMs, retries);
    }

    /** A copy with the wait for the migration lock set. */
    public ApplyOptions withLockWait(Duration value) {
        return new ApplyOptions(dryRun, target, value, lockTimeoutMs, statementTimeoutMs, lockRetries);
    }
}
