package dev.strata.engine;

import dev.strata.catalog.CatalogMigration;
import dev.strata.catalog.Verifier;
import dev.strata.db.ConfigException;
import dev.strata.db.ConnectionPool;
import dev.strata.history.AppliedMigration;
import dev.strata.history.MigrationLock;
import dev.strata.history.SchemaHistory;
import dev.strata.history.SqlResources;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one database session that holds the migration lock and runs the migrations, their verify
 * steps and their history writes, so the lock lives exactly as long as the backend that could
 * still commit (PostgreSQL docs, "Advisory Locks": a session-level lock is released when the
 * session ends). Before the lock is trusted the session proves it is a real, writable session:
 * not a hot standby or read-only, not behind a transaction-mode pooler, and the lock's row in
 * {@code pg_locks} belongs to this backend.
 *
 * <p>Why the lock does not block this session's own {@code CREATE INDEX CONCURRENTLY}: CIC waits
 * for transactions that hold snapshots or conflicting locks on the table. A session-level
 * advisory lock is neither a table lock nor a transaction: it is taken by a statement that ends
 * at once, and between statements the session holds no snapshot. Only a waiter that blocks in
 * {@code pg_advisory_lock} (one long statement, one snapshot) would stall CIC, which is why
 * waiters poll {@code pg_try_advisory_lock} instead.
 */
final class MigrationSession {

    /** Default bound on silence from the server while migrations run, ms. */
    static final long DEFAULT_UNRESPONSIVE_MS = 30_000;

    private static final Duration QUICK = Duration.ofSeconds(5);

    private final ConnectionPool database;
    private final SqlConnection connection;
    private final int pid;
    private final Duration lockWait;
    private volatile boolean closed;
    private volatile CatalogMigration current;
    /** When the session last answered a statement Strata waited for (System.nanoTime()). */
    private volatile long lastAnswer = System.nanoTime();
    private MigrationLock lock;
    private boolean direct;
    private List<AppliedMigration> early;
    private volatile String historyTable = dev.strata.history.HistoryTable.DEFAULT;

    /** The schema history table this session records in (chosen under the lock by the migrator). */
    void historyTable(String name) {
        this.historyTable = name;
    }

    /** The schema history table this session records in. */
    String historyTable() {
        return historyTable;
    }

    private MigrationSession(ConnectionPool database, SqlConnection connection, int pid, Duration lockWait) {
        this.database = database;
        this.connection = connection;
        this.pid = pid;
        this.lockWait = lockWait;
        connection.closeHandler(() -> closed = true);
    }

    /**
     * Connects, sets the session up, proves what it talks to and takes the migration lock.
     *
     * @return the session holding the lock; fails with {@link ConfigException} (exit 2) for a
     *         read-only target or a transaction-mode pooler, {@link MigrationLock.LockTimeoutException}
     *         or a {@code ConnectionException}
     */
    static Uni<MigrationSession> open(ConnectionPool database, Duration lockWait, Consumer<String> waiting) {
        return connect(database, lockWait, null).chain(session -> session.lock(waiting));
    }

    /**
     * Connects and sets the session up without taking the lock, reading the schema history as it
     * is in the same round trip: the three simple queries (settings, what the session talks to,
     * the history) are pipelined, i.e. sent together and answered in order, each in its own
     * transaction. A caller that finds nothing to do in {@link #historyBeforeLock()} closes the
     * session without ever taking the lock; any other caller goes on with {@link #lock}.
     * With the automatic history table choice, the early history counts only when the choice would
     * name the table that was read: the read succeeded (so {@code schema_migrations} has Strata's
     * columns) and {@code strata_schema_migrations} does not exist (a column of the session check);
     * otherwise the decision is left to the read under the lock, after {@link dev.strata.history.HistoryTable#choose}.
     *
     * @param historyTable the configured history table ({@code --history-table}), or null / {@code auto}
     *
     * @return the unlocked session; fails with {@link ConfigException} (exit 2) for a read-only
     *         target or one where standard_conforming_strings cannot be set, or a {@code ConnectionException}
     */
    static Uni<MigrationSession> connect(ConnectionPool database, Duration lockWait, String historyTable) {
        boolean auto = historyTable == null || historyTable.equalsIgnoreCase("auto");
        String read = auto ? dev.strata.history.HistoryTable.DEFAULT : historyTable;
        return database.connect().onItem().transformToUni(connection -> {
            Uni<Integer> settings = connection.query(SqlResources.get("lock_session.sql")).execute()
                    .onItem().transform(rows -> rows.size());
            Uni<Row> check = connection.query(SqlResources.get("lock_session_check.sql")).execute()
                    .onItem().transform(rows -> rows.iterator().next());
            // Any failure of the early read (no table yet, an older layout, another tool's table
            // without Strata's columns) leaves the decision to the read under the lock, which
            // creates or upgrades the table.
            Uni<java.util.Optional<List<AppliedMigration>>> early = SchemaHistory.readStrict(connection, read)
                    .onItem().transform(java.util.Optional::of)
                    .onFailure().recoverWithItem(java.util.Optional.empty());
            return Uni.combine().all().unis(settings, check, early).asTuple()
                    .onItem().transform(t -> {
                        Row row = t.getItem2();
                        int pid = checked(database, row);
                        MigrationSession session = new MigrationSession(database, connection, pid, lockWait);
                        session.direct = direct(connection, pid, row.getString("client_addr"),
                                row.getInteger("client_port"));
                        // The automatic choice names schema_migrations exactly when the read of it
                        // succeeded (so it has Strata's columns) and strata_schema_migrations does not
                        // exist (HistoryTable.decide); otherwise the read is not this database's history.
                        boolean readIsChosen = !auto || !row.getBoolean("alternative_history_exists");
                        session.early = readIsChosen ? t.getItem3().orElse(null) : null;
                        return session;
                    })
                    .onFailure(java.util.concurrent.CompletionException.class)
                    .transform(e -> e.getCause() == null ? e : e.getCause())
                    .onFailure().transform(MigrationSession::explainPooler)
                    .onFailure().call(() -> connection.close().onFailure().recoverWithNull());
        });
    }

    /**
     * Proves the session (see {@link #proveSession()}), takes the migration lock on it (polling,
     * bounded by the lock wait) and proves the lock is this backend's.
     *
     * @return this session, holding the lock; fails as {@link #open} does, and closes the connection then
     */
    Uni<MigrationSession> lock(Consumer<String> waiting) {
        return proveSession()
                .chain(() -> MigrationLock.acquire(connection, lockWait, 250, waiting))
                .invoke(taken -> this.lock = taken)
                .chain(this::proveLock)
                .invoke(() -> {
                    heard();
                    RunningMigration.started(this);
                })
                .replaceWith(this)
                .onFailure().transform(MigrationSession::explainPooler)
                .onFailure().call(() -> connection.close().onFailure().recoverWithNull());
    }

    /**
     * The schema history as {@link #connect} read it, before any lock: null when it could not be
     * read (no table yet, an older layout, any error). Only good for deciding that nothing is to
     * be done: rows are only ever added or completed by a run holding the lock, so a history that
     * records every wanted migration as applied, with the file's checksum, stays so; anything
     * else is decided again from the history read under the lock.
     */
    List<AppliedMigration> historyBeforeLock() {
        return early;
    }

    /** Checks lock_session_check.sql's row; the backend pid. */
    private static int checked(ConnectionPool database, Row row) {
        String target = database.settings().target();
        if (row.getBoolean("in_recovery") || "on".equals(row.getString("read_only"))) {
            throw new ConfigException("the database " + target + " is read-only ("
                    + (row.getBoolean("in_recovery") ? "a hot standby in recovery"
                    : "transaction_read_only is on, e.g. default_transaction_read_only")
                    + "); migrations need the writable primary: point the URL at it "
                    + "(strata status, list and validate work on a read-only database)");
        }
        if (!"on".equals(row.getString("standard_conforming_strings"))) {
            throw new ConfigException("could not set standard_conforming_strings = on for " + target
                    + " (it is " + row.getString("standard_conforming_strings") + "); the safety "
                    + "scanner reads string literals that way, so Strata refuses to run otherwise");
        }
        return row.getInteger("pid");
    }

    /**
     * True when the backend's client socket is this connection's own socket (same address and
     * port, as the backend reports them with inet_client_addr/inet_client_port) and the backend
     * pid is the one the server sent at start-up (BackendKeyData): then no pooler or proxy sits
     * between Strata and the backend, and the session cannot be handed to another client. False
     * whenever that cannot be established (a Unix socket, any hop, client internals of another
     * shape): then {@link #proveSession()} proves it with a second connection.
     */
    private static boolean direct(SqlConnection connection, int pid, String clientAddr, Integer clientPort) {
        if (clientAddr == null || clientPort == null) {
            return false;
        }
        try {
            io.vertx.sqlclient.impl.Connection c =
                    ((io.vertx.sqlclient.impl.SqlConnectionInternal) connection.getDelegate()).unwrap();
            for (int i = 0; i < 4 && !(c instanceof io.vertx.sqlclient.impl.SocketConnectionBase); i++) {
                c = c.unwrap();
            }
            if (!(c instanceof io.vertx.sqlclient.impl.SocketConnectionBase socket) || c.getProcessId() != pid) {
                return false;
            }
            io.vertx.core.net.SocketAddress local = socket.socket().localAddress();
            String ip = local == null ? null : local.hostAddress();
            // both are IP literals: getByName parses them without any name lookup
            return ip != null && local.port() == clientPort
                    && java.net.InetAddress.getByName(ip).equals(java.net.InetAddress.getByName(clientAddr));
        } catch (RuntimeException | java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * Refuses a transaction-mode pooler before the lock is taken. On a direct connection (see
     * {@link #direct}) nothing is left to prove. Otherwise a second client connection, opened for
     * this check and closed at once, must get a backend of its own, and this connection's next
     * transaction must run on the same one.
     */
    private Uni<Void> proveSession() {
        if (direct) {
            return Uni.createFrom().voidItem();
        }
        Uni<Integer> other = database.connect().chain(c -> c.query("SELECT pg_catalog.pg_backend_pid()").execute()
                .onItem().transform(rows -> rows.iterator().next().getInteger(0))
                .eventually(() -> c.close().onFailure().recoverWithNull()));
        return other.chain(otherPid -> connection.query("SELECT pg_catalog.pg_backend_pid()").execute()
                .onItem().transform(rows -> {
                    int again = rows.iterator().next().getInteger(0);
                    if (otherPid == pid || again != pid) {
                        throw pooler("backend " + pid + " answered " + (otherPid == pid ? "another client connection"
                                : "as " + again + " in the next transaction"));
                    }
                    return null;
                }));
    }

    /** After taking the lock: its row in pg_locks belongs to this backend, and to no other. */
    private Uni<Void> proveLock() {
        return connection.preparedQuery(SqlResources.get("lock_check.sql")).execute(Tuple.of(MigrationLock.KEY))
                .onItem().transform(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getInteger("pid") != pid || row.getLong("mine") != 1 || row.getLong("holders") != 1) {
                        throw pooler("the migration lock was granted, but pg_locks shows it on "
                                + (row.getLong("mine") == 1 ? "more than one backend" : "another backend than " + pid));
                    }
                    return null;
                });
    }

    private static ConfigException pooler(String evidence) {
        return new ConfigException("the URL goes through a transaction-mode connection pooler (PgBouncer?): "
                + evidence + "; migrations need a session: use DIRECT_DATABASE_URL or session pooling");
    }

    /** SQLSTATE 26000 (a prepared statement vanished between messages) is a transaction pooler's mark. */
    private static Throwable explainPooler(Throwable error) {
        if (error instanceof io.vertx.pgclient.PgException pg && "26000".equals(pg.getSqlState())) {
            return pooler("prepared statements vanish between messages (" + pg.getErrorMessage() + ", SQLSTATE 26000)");
        }
        return error;
    }

    /** The connection that runs everything under the lock. */
    SqlConnection connection() {
        return connection;
    }

    /**
     * Before each migration: sets the session up again (the previous one's RESET ALL returned to
     * the server defaults) and proves the lock is still held by this backend.
     *
     * @return fails with {@link SessionLostException} when the lock is no longer this session's
     */
    Uni<Void> recheck(CatalogMigration m) {
        current = m;
        heard();
        return connection.query(SqlResources.get("lock_session.sql")).execute()
                .chain(() -> connection.preparedQuery(SqlResources.get("lock_check.sql"))
                        .execute(Tuple.of(MigrationLock.KEY)))
                .onItem().transform(rows -> {
                    heard();
                    Row row = rows.iterator().next();
                    if (row.getInteger("pid") != pid || row.getLong("mine") != 1) {
                        throw new SessionLostException("before migration " + m.name() + ": the migration lock is no "
                                + "longer held by this session (backend " + pid + ", answered by "
                                + row.getInteger("pid") + "); nothing more was run; run again", null);
                    }
                    return null;
                });
    }

    /** Notes that the session answered (a statement Strata waited for completed), so no probe is due. */
    void heard() {
        lastAnswer = System.nanoTime();
    }

    /**
     * Runs {@code body} while a watch checks every few seconds that the server still answers;
     * after {@code bound} without an answer the run ends with {@link SessionLostException} ("the
     * server stopped answering…"), since a dead network can otherwise hold a socket for hours (TCP
     * retransmission and keepalive defaults). The session itself is the first witness: while it
     * answered within the last interval (a migration started, a lock check returned), nothing else
     * is asked. Only once it has been silent for an interval (a statement that runs for a while)
     * does the watch open a probe connection, ask, and close it again, so a run whose statements
     * each answer within the interval (bound / 3, at most 5 s) uses one connection.
     */
    <T> Uni<T> guard(Uni<T> body, Duration bound) {
        if (bound.isZero() || bound.isNegative()) {
            return body;
        }
        long intervalMs = Math.max(200, Math.min(5000, bound.toMillis() / 3));
        heard();
        @SuppressWarnings("unchecked")
        Uni<T> raced = (Uni<T>) Uni.combine().any().of(body, watch(System.nanoTime(), bound, intervalMs));
        // any() reports a failure wrapped in CompletionException; callers match on the cause's type
        return raced.onFailure(java.util.concurrent.CompletionException.class)
                .transform(e -> e.getCause() == null ? e : e.getCause());
    }

    /** @param probeAnswer when a probe last got an answer (System.nanoTime()) */
    private Uni<Object> watch(long probeAnswer, Duration bound, long intervalMs) {
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(intervalMs)).chain(() -> {
            long now = System.nanoTime();
            long session = lastAnswer;
            long remainingMs = bound.toMillis() - (now - Math.max(probeAnswer, session)) / 1_000_000;
            if (remainingMs <= 0) {
                return Uni.createFrom().failure(silence(bound));
            }
            if ((now - session) / 1_000_000 < intervalMs) {
                return watch(probeAnswer, bound, intervalMs);
            }
            return probe().ifNoItem().after(Duration.ofMillis(remainingMs)).fail()
                    .onItem().transformToUni(rows -> watch(System.nanoTime(), bound, intervalMs))
                    .onFailure(e -> !(e instanceof SessionLostException))
                    .recoverWithUni(e -> watch(probeAnswer, bound, intervalMs));
        });
    }

    /** One probe on a connection of its own, closed afterwards: the server answers (about this backend). */
    private Uni<Object> probe() {
        return database.connect().chain(c -> c.preparedQuery(SqlResources.get("lock_probe.sql")).execute(Tuple.of(pid))
                .onItem().<Object>transform(rows -> rows)
                .eventually(() -> c.close().onFailure().recoverWithNull()));
    }

    private SessionLostException silence(Duration bound) {
        closed = true; // a session that stopped answering cannot release its lock: close() skips that wait
        CatalogMigration m = current;
        String during = m == null ? "before any migration ran" : "during migration " + m.name();
        String fate = m == null ? "nothing was applied in this run"
                : !m.transactional() ? "it is non-transactional: its current statement will be cancelled by the server; "
                + "see strata status"
                // without a verify step the file, its history row and COMMIT left in one message
                // (Migrator.applyTransactional): the server may still finish and commit it
                : m.verifier() == Verifier.NONE ? "it was sent with its history row and COMMIT, so the server "
                + "either commits all of it or, once it notices the lost connection, rolls all of it back "
                + "(strata status shows which once the database answers; running again is safe either way)"
                : "its transaction will be rolled back by the server";
        return new SessionLostException("the server stopped answering " + during + " (nothing heard for "
                + bound.toMillis() / 1000 + " s); " + fate + "; Strata closed the connection. Check the network to "
                + database.settings().target() + ", then run again", null);
    }

    /**
     * After a migration failed: when this session is gone, decides from the history table (read
     * under a new lock) whether the migration committed and fails with {@link SessionLostException};
     * otherwise fails with {@code error} unchanged.
     */
    <T> Uni<T> failed(CatalogMigration m, Throwable error, Consumer<String> note) {
        return alive().onItem().transformToUni(alive -> {
            if (alive) {
                return Uni.createFrom().failure(error);
            }
            String lost = "the connection running the migrations was lost during migration " + m.name()
                    + " (" + reason(error) + ")";
            note.accept(lost + "; " + m.name() + " may have committed — checking the schema history under a new lock");
            return decide(m).onItem().transformToUni(fate -> Uni.createFrom()
                    .<T>failure(new SessionLostException(lost + "; " + fate, error)));
        });
    }

    private Uni<Boolean> alive() {
        if (closed) {
            return Uni.createFrom().item(false);
        }
        return connection.query("SELECT 1").execute().ifNoItem().after(QUICK).fail()
                .onItem().transform(rows -> true).onFailure().recoverWithItem(false);
    }

    private Uni<String> decide(CatalogMigration m) {
        return database.connect().onItem().transformToUni(c -> MigrationLock.acquire(c, lockWait, 250, w -> { })
                .chain(newLock -> SchemaHistory.read(c, historyTable).onTermination().call(() ->
                        newLock.release().onFailure().recoverWithNull()))
                .onTermination().call(() -> c.close().onFailure().recoverWithNull()))
                .onItem().transform(history -> fate(m, history))
                .onFailure().recoverWithItem(e -> "could not check whether " + m.name() + " committed ("
                        + reason(e) + "); run strata status once the database answers, then run again");
    }

    private static String fate(CatalogMigration m, List<AppliedMigration> history) {
        Optional<AppliedMigration> row = history.stream().filter(r -> r.number() == m.number()).findFirst();
        if (row.isEmpty()) {
            return "the server rolled back migration " + m.name() + " (no history row); the file is not at fault: run again";
        }
        if (row.get().success()) {
            return m.name() + " committed before the connection was lost (its history row is present); "
                    + "run again to apply the rest";
        }
        return m.name() + " is non-transactional and stopped part-way (history row: " + row.get().error()
                + "); see strata status and strata repair " + m.number();
    }

    private static String reason(Throwable error) {
        Throwable e = error;
        while (e.getCause() != null && e.getCause() != e && !(e instanceof io.vertx.pgclient.PgException)) {
            e = e.getCause();
        }
        if (e instanceof io.vertx.pgclient.PgException pg) {
            return pg.getErrorMessage() + ", SQLSTATE " + pg.getSqlState();
        }
        if (error instanceof MigrationFailedException f) {
            return f.failure().message() + (f.failure().sqlState() == null ? "" : ", SQLSTATE " + f.failure().sqlState());
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The line for a signal that ends the process now (see {@link RunningMigration}). */
    String interrupted(String signal) {
        CatalogMigration m = current;
        if (m == null) {
            return "stopped by " + signal + " before any migration ran; nothing was applied in this run; "
                    + "the migration lock is released as the connection closes";
        }
        String fate = m.transactional()
                ? "the server rolls back its transaction when it notices the closed connection (within about 2 s), "
                + "unless its last statement and COMMIT had already run: strata status shows which; running again is safe"
                : "it is non-transactional: the server cancels its current statement when it notices the closed "
                + "connection; see strata status and strata repair " + m.number();
        return "stopped by " + signal + " during migration " + m.name() + "; " + fate;
    }

    /** Releases the lock and closes the connection, each bounded: a dead network must not hang the exit. */
    Uni<Void> close() {
        RunningMigration.ended(this);
        Uni<Void> release = lock == null || closed ? Uni.createFrom().voidItem()
                : lock.release().ifNoItem().after(QUICK).fail().onFailure().recoverWithNull();
        return release.chain(() -> connection.close().ifNoItem().after(QUICK).fail().onFailure().recoverWithNull());
    }
}
