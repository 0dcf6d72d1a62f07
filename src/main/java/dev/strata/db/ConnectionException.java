package dev.strata.db;

/**
 * The database could not be reached or refused the login (exit code 2). The message names host,
 * port, database and user, never the password, and says what to check.
 */
public class ConnectionException extends RuntimeException {
    /** @param message one line, safe to print */
    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
