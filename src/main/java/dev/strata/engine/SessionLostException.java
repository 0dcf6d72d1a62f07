package dev.strata.engine;

/**
 * The session that held the migration lock and ran the migrations was lost or stopped answering
 * mid-run (exit code 1). The message says what happened, what became of the migration that was
 * running (rolled back, committed, or to be checked) and what to do next.
 */
public class SessionLostException extends RuntimeException {

    /** @param message one line, safe to print */
    public SessionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
