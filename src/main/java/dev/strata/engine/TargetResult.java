package dev.strata.engine;

/**
 * What happened on one target of a fleet; small on purpose, so a fleet keeps none of a target's
 * objects once it is done.
 *
 * @param name       the target's name ({@link Target#name()}), password-free
 * @param outcome    what happened
 * @param migrations migrations applied (migrated) or pending (pending), else 0
 * @param detail     one line for the report, e.g. {@code failed at 007_x: 42703 column "t" does not exist}
 * @param failure    the class of failure when the outcome is {@link Outcome#FAILED}, else null
 * @param ms         wall time on this target, ms, connection included
 */
public record TargetResult(String name, Outcome outcome, int migrations, String detail, FailureKind failure, long ms) {

    /** What happened on a target. */
    public enum Outcome {
        /** Migrations were applied. */
        MIGRATED("migrated"),
        /** Nothing was pending (or, for validate, everything checked out). */
        UP_TO_DATE("up to date"),
        /** Migrations are pending (dry run, status, validate); nothing was changed. */
        PENDING("pending"),
        /** The target failed; {@link TargetResult#failure()} says how. */
        FAILED("failed"),
        /** The rollout stopped (failure, canary, max failures or a signal) before this target was touched. */
        NOT_STARTED("not started");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        /** The word used in reports, e.g. {@code up to date}. */
        public String label() {
            return label;
        }
    }

    /** The class of a failure, which decides the fleet's exit code when only one class happened. */
    public enum FailureKind {
        /** A migration or verify step failed, the history disagrees with the files, or validate found problems. */
        MIGRATION,
        /** The migration lock was held by someone else for longer than the lock timeout. */
        LOCK,
        /** The target could not be reached, refused the login, or its settings are unusable. */
        CONNECTION
    }
}
