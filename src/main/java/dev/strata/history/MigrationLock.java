package dev.strata.history;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The migration lock: a session-level advisory lock ({@code pg_try_advisory_lock}) held on a
 * dedicated connection that stays idle while migrations run on others, so that no transaction
 * holds it (a held transaction-level lock would make {@code CREATE INDEX CONCURRENTLY} wait for
 * it forever). The server releases it when the session ends, so a killed runner leaves no stale
 * lock (PostgreSQL docs, "Explicit Locking → Advisory Locks").
 */
public final class MigrationLock {

    /** The advisory lock key, "Strata" in ASCII plus a version byte; per database. */
    public static final long KEY = 0x5374726174610001L;

    private final SqlConnection connection;

    private MigrationLock(SqlConnection connection) {
        this.connection = connection;
    }

    /** Thrown when the lock could not be taken within the timeout (exit code 4). */
    public static final class LockTimeoutException extends RuntimeException {
        /** @param message names the holder and the timeout */
        public LockTimeoutException(String message) {
            super(message);
        }
    }

    /**
     * Polls {@code pg_try_advisory_lock} every {@code pollMs} ms until it is granted or
     * {@code timeout} has passed, reporting the holder through {@code waiting} on the first miss
     * and then about every 5 s.
     *
     * @param connection a connection used for nothing else while the lock is held
     * @param timeout    how long to wait at most; zero tries once
     * @param waiting    receives a one-line description of who holds the lock
     * @return the held lock; the Uni fails with {@link LockTimeoutException} after the timeout
     */
    public static Uni<MigrationLock> acquire(SqlConnection connection, Duration timeout, long pollMs,
                                             Consumer<String> waiting) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return attempt(connection, deadline, pollMs, waiting, new long[] {0L}, timeout);
    }

    private static Uni<MigrationLock> attempt(SqlConnection connection, long deadline, long pollMs,
                                              Consumer<String> waiting, long[] lastReport, Duration timeout) {
        return connection.preparedQuery(SqlResources.get("lock_try.sql")).execute(Tuple.of(KEY))
                .onItem().transformToUni(rows -> {
                    if (rows.iterator().next().getBoolean("acquired")) {
                        return Uni.createFrom().item(new MigrationLock(connection));
                    }
                    long now = System.nanoTime();
                    boolean expired = now >= deadline;
                    boolean report = lastReport[0] == 0L || now - lastReport[0] >= 5_000_000_000L || expired;
                    Uni<String> holder = report ? holder(connection) : Uni.createFrom().item((String) null);
                    return holder.onItem().transformToUni(who -> {
                        if (expired) {
                            return Uni.createFrom().failure(new LockTimeoutException(
                                    "could not take the migration lock within " + timeout.toMillis()
                                            + " ms: held by " + (who == null ? "another session" : who)
                                            + "; wait for it to finish, or raise --lock-timeout"));
                        }
                        if (who != null) {
                            lastReport[0] = now;
                            waiting.accept("waiting for the migration lock, held by " + who);
                        }
                        return Uni.createFrom().voidItem()
                                .onItem().delayIt().by(Duration.ofMillis(pollMs))
                                .onItem().transformToUni(v -> attempt(connection, deadline, pollMs,
                                        waiting, lastReport, timeout));
                    });
                });
    }

    /** Describes the session holding the lock, e.g. {@code pid 4242 (strata, user app) since 12:00:01Z}. */
    public static Uni<String> holder(SqlConnection connection) {
        return connection.preparedQuery(SqlResources.get("lock_holder.sql")).execute(Tuple.of(KEY))
                .onItem().transform(MigrationLock::describe);
    }

    private static String describe(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row row = rows.iterator().next();
        String app = row.getString("application_name");
        return "pid " + row.getInteger("pid") + " (" + (app == null || app.isEmpty() ? "no application_name" : app)
                + ", user " + row.getString("usename")
                + (row.getString("client_addr") == null ? "" : ", from " + row.getString("client_addr"))
                + ") connected since " + row.getOffsetDateTime("backend_start")
                + ", " + row.getString("state") + " since " + row.getOffsetDateTime("state_change");
    }

    /** Releases the lock; the connection is left open for the caller to close. */
    public Uni<Void> release() {
        return connection.preparedQuery(SqlResources.get("lock_release.sql")).execute(Tuple.of(KEY))
                .replaceWithVoid();
    }
}
