package dev.strata.engine;

import dev.strata.db.ConfigException;
import dev.strata.db.ConnectionPool;
import dev.strata.db.ConnectionSettings;
import dev.strata.history.SqlResources;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The throw-away database {@code strata test} runs the migration suite in: either created on a
 * server ({@code CREATE DATABASE strata_test_<8 hex digits> TEMPLATE template0}) and dropped on
 * {@link #close()}, by a shutdown hook when the JVM is stopped first (Ctrl-C, SIGTERM), or given
 * by the user ({@code --scratch-url}), checked to be empty and never dropped.
 *
 * <p>It has its own Vert.x instance, because the application's is closed by the framework's
 * shutdown hook while this one may still need to drop the database.
 */
public final class ScratchDatabase implements AutoCloseable {

    /** The prefix of every database {@code strata test} creates. */
    public static final String PREFIX = "strata_test_";

    private static final Duration DROP_WAIT = Duration.ofSeconds(15);

    private final Vertx vertx = Vertx.vertx();
    private final ConnectionSettings settings;
    private final ConnectionPool admin;
    private final String name;
    private final AtomicBoolean dropped = new AtomicBoolean();
    private final Thread hook;

    private ScratchDatabase(ConnectionSettings server, ConnectionSettings settings, String name, Duration connectTimeout) {
        this.settings = settings;
        this.name = name;
        this.admin = server == null ? null : new ConnectionPool(vertx, server, 1, connectTimeout);
        this.hook = server == null ? null : new Thread(this::dropOnShutdown, "strata-test-drop-" + name);
    }

    /**
     * Creates a fresh scratch database on the server of {@code server}, connecting to that
     * database only to run CREATE DATABASE (and, later, DROP DATABASE).
     *
     * @throws ConfigException when the user may not create databases there (SQLSTATE 42501)
     * @throws dev.strata.db.ConnectionException when the server is unreachable
     */
    public static ScratchDatabase create(ConnectionSettings server, Duration connectTimeout) {
        String name = PREFIX + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        PgConnectOptions options = new PgConnectOptions(server.options()).setDatabase(name);
        String redacted = server.redacted().replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
        ScratchDatabase scratch = new ScratchDatabase(server,
                new ConnectionSettings(options, "scratch database", redacted), name, connectTimeout);
        try {
            scratch.adminRun("scratch_create.sql");
        } catch (RuntimeException e) {
            scratch.closeQuietly();
            if (e instanceof PgException pg && "42501".equals(pg.getSqlState())) {
                throw new ConfigException("cannot create a scratch database on " + server.target() + ": "
                        + pg.getErrorMessage() + "; grant CREATEDB to the user, or give an empty database with "
                        + "--scratch-url");
            }
            throw e instanceof PgException ? scratch.admin.explain(e) : e;
        }
        Runtime.getRuntime().addShutdownHook(scratch.hook);
        return scratch;
    }

    /**
     * Uses a database the user gave as it is (it is not dropped afterwards).
     *
     * @throws ConfigException when it already holds tables, views or sequences
     */
    public static ScratchDatabase given(ConnectionSettings settings, Duration connectTimeout) {
        ScratchDatabase scratch = new ScratchDatabase(null, settings, settings.options().getDatabase(), connectTimeout);
        try (ConnectionPool database = new ConnectionPool(scratch.vertx, settings, 1, connectTimeout)) {
            long relations = database.connect().chain(c -> c.query(SqlResources.get("scratch_relations.sql")).execute()
                            .onTermination().call(c::close))
                    .map(rows -> rows.iterator().next().getLong(0)).await().atMost(connectTimeout.plusSeconds(30));
            if (relations > 0) {
                throw new ConfigException("the scratch database " + settings.redacted() + " is not empty (" + relations
                        + " tables, views or sequences); strata test applies every migration there: give an empty "
                        + "database, or leave out --scratch-url to let it create and drop one");
            }
        } catch (RuntimeException e) {
            scratch.closeQuietly();
            throw e;
        }
        return scratch;
    }

    /** Where to connect to the scratch database. */
    public ConnectionSettings settings() {
        return settings;
    }

    /** The database's name, e.g. {@code strata_test_1a2b3c4d}. */
    public String name() {
        return name;
    }

    /** True when Strata created it (and so drops it). */
    public boolean created() {
        return admin != null;
    }

    /** Drops the database when Strata created it, ending sessions still in it; then frees this object's resources. */
    @Override
    public void close() {
        try {
            drop();
        } finally {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or about to: it finds the database dropped already
                }
            }
            closeQuietly();
        }
    }

    /** The JVM is stopping before the run ended (Ctrl-C, SIGTERM): drop the database and say so. */
    private void dropOnShutdown() {
        if (!dropped.get()) {
            drop();
            System.err.println("strata: stopped; dropped the scratch database " + name);
        }
    }

    private void drop() {
        if (admin == null || !dropped.compareAndSet(false, true)) {
            return;
        }
        try {
            adminRun("scratch_drop.sql");
        } catch (PgException e) {
            if (!"42601".equals(e.getSqlState())) {
                throw admin.explain(e);
            }
            adminRun("scratch_drop_legacy.sql");
        }
    }

    private void adminRun(String resource) {
        String sql = SqlResources.get(resource).replace("{name}", name);
        admin.connect().chain(c -> c.query(sql).execute().onTermination().call(c::close))
                .await().atMost(DROP_WAIT.plus(Duration.ofSeconds(60)));
    }

    private void closeQuietly() {
        try {
            if (admin != null) {
                admin.close();
            }
        } finally {
            vertx.close();
        }
    }
}
