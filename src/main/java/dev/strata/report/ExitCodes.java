package dev.strata.report;

/** Strata's process exit codes, one place; documented in the README. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A migration or its verify step failed (rolled back), or the history disagrees with the files. */
    public static final int MIGRATION_FAILED = 1;
    /** Usage or configuration error: bad option, bad catalog, database unreachable or login refused. */
    public static final int USAGE = 2;
    /** {@code status --exit-code}: migrations are pending. */
    public static final int PENDING = 3;
    /** The migration lock could not be taken within {@code --lock-timeout}. */
    public static final int LOCK_TIMEOUT = 4;
    /** The SQL safety scanner found an error. */
    public static final int SAFETY_VIOLATION = 5;

    private ExitCodes() {
    }
}
