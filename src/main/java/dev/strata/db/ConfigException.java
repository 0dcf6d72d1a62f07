package dev.strata.db;

/** A configuration or usage problem (exit code 2): the message says what is wrong and what to do. */
public class ConfigException extends RuntimeException {
    /** Creates the exception with a message that is safe to print (it never holds a password). */
    public ConfigException(String message) {
        super(message);
    }
}
