package dev.strata.engine;

/** A migration failed and was rolled back (exit code 1); carries the located failure. */
public class MigrationFailedException extends RuntimeException {

    private final transient MigrationFailure failure;
    private final transient ApplyResult partial;

    /**
     * @param failure what failed and where
     * @param partial the migrations applied before it in the same run (they stay applied)
     */
    public MigrationFailedException(MigrationFailure failure, ApplyResult partial) {
        super(failure.describe());
        this.failure = failure;
        this.partial = partial;
    }

    /** What failed and where. */
    public MigrationFailure failure() {
        return failure;
    }

    /** The run up to the failure. */
    public ApplyResult partial() {
        return partial;
    }
}
