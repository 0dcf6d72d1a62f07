package dev.strata.embedded;

import dev.strata.db.ConfigException;

/**
 * The embedded PostgreSQL cannot be provided (no binaries for this platform or version, running
 * as root without an unprivileged user, initdb or the server failed): a configuration problem,
 * exit code 2. The message says what happened and what to do instead.
 */
public class EmbeddedException extends ConfigException {
    /** Creates the exception with a message that is safe to print. */
    public EmbeddedException(String message) {
        super(message);
    }
}
