package dev.strata.engine;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the process is doing under the migration lock, for the one line printed when a signal
 * (SIGTERM, Ctrl-C) ends it mid-run: the exiting process closes its sockets, and the server ends
 * the session, rolling back what it had not committed (PostgreSQL docs, "Advisory Locks" and
 * {@code client_connection_check_interval}).
 */
public final class RunningMigration {

    private static final AtomicReference<MigrationSession> SESSION = new AtomicReference<>();

    private RunningMigration() {
    }

    static void started(MigrationSession session) {
        SESSION.set(session);
    }

    static void ended(MigrationSession session) {
        SESSION.compareAndSet(session, null);
    }

    /**
     * The line to print when the process is stopped now, e.g. "stopped during migration 002_x; …",
     * or empty when no migration session is open.
     */
    public static Optional<String> interruption(String signal) {
        MigrationSession session = SESSION.get();
        return session == null ? Optional.empty() : Optional.of(session.interrupted(signal));
    }
}
