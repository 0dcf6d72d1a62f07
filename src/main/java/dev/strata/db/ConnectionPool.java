package dev.strata.db;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Set;

/**
 * A small reactive pool (Vert.x PG client, Mutiny API) for one resolved database, with bounded
 * retry while the server is unreachable or starting up: a Fly.io Postgres machine that was
 * stopped may need several seconds to accept connections.
 */
public final class ConnectionPool implements AutoCloseable {

    /** SQLSTATEs that mean "try again soon": cannot_connect_now (starting up / shutting down), too_many_connections. */
    private static final Set<String> RETRYABLE_STATES = Set.of("57P03", "53300");

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ConnectionPool.class);

    private final ConnectionSettings settings;
    private final Pool pool;
    private final Duration connectTimeout;
    private final Duration unresponsiveTimeout;

    /** How long a run may hear nothing from the server before it gives up, by default: 30 s. */
    public static final Duration DEFAULT_UNRESPONSIVE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param vertx          the Vert.x instance (Quarkus-managed in the application)
     * @param settings       where to connect
     * @param maxConnections pool size; a migration run uses one (its session), a second only briefly: to prove a session that is not a direct connection, or to probe a statement that has been silent for a while
     * @param connectTimeout how long to keep retrying an unreachable server
     */
    public ConnectionPool(Vertx vertx, ConnectionSettings settings, int maxConnections, Duration connectTimeout) {
        this(vertx, settings, maxConnections, connectTimeout, DEFAULT_UNRESPONSIVE_TIMEOUT);
    }

    /**
     * @param unresponsiveTimeout how long a migration run may hear nothing from the server (its
     *                            liveness probe unanswered) before it ends; zero disables the bound
     */
    public ConnectionPool(Vertx vertx, ConnectionSettings settings, int maxConnections, Duration connectTimeout,
                    Duration unresponsiveTimeout) {
        this.settings = settings;
        this.connectTimeout = connectTimeout;
        this.unresponsiveTimeout = unresponsiveTimeout;
        this.pool = Pool.newInstance(PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(maxConnections))
                .connectingTo(withKeepalive(settings.options()))
                .using(vertx)
                .build());
    }

    /**
     * TCP keepalive on Strata's sockets (first probe after 10 s idle, then every 5 s, 4 misses:
     * ~30 s) and, on Linux's native transport, {@code TCP_USER_TIMEOUT} of 30 s for unacknowledged
     * data: without them a dead peer is noticed only after the OS defaults (2 h keepalive, ~15 min
     * of retransmissions).
     */
    private static PgConnectOptions withKeepalive(PgConnectOptions options) {
        PgConnectOptions copy = new PgConnectOptions(options);
        copy.setTcpKeepAlive(true).setTcpKeepAliveIdleSeconds(10).setTcpKeepAliveIntervalSeconds(5)
                .setTcpKeepAliveCount(4).setTcpUserTimeout(30_000);
        return copy;
    }

    /** How long a migration run may hear nothing from the server; zero when unbounded. */
    public Duration unresponsiveTimeout() {
        return unresponsiveTimeout;
    }

    /** The settings this database was opened with. */
    public ConnectionSettings settings() {
        return settings;
    }

    /** The underlying pool, for queries that need no dedicated connection. */
    public Pool pool() {
        return pool;
    }

    /**
     * A connection, retrying with exponential backoff (100 ms doubling to 2 s) while the server
     * is unreachable or starting up, for at most the connect timeout.
     *
     * @return the Uni fails with {@link ConnectionException} (exit 2) naming host, port, database
     *         and user when the server stays unreachable or refuses the login
     */
    public Uni<SqlConnection> connect() {
        Uni<SqlConnection> once = Uni.createFrom().deferred(pool::getConnection).onItem().invoke(ConnectionPool::quiet);
        if (connectTimeout.isZero()) {
            return once.onFailure().transform(this::explain);
        }
        return once.onFailure(ConnectionPool::retryable).retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).withJitter(0.1)
                .expireIn(connectTimeout.toMillis())
                .onFailure().transform(error -> explain(lastAttempt(error)));
    }

    /** Mutiny ends an expired retry with "Retries exhausted", the last attempt's failure as its cause. */
    private static Throwable lastAttempt(Throwable error) {
        return error instanceof IllegalStateException && error.getCause() != null
                && String.valueOf(error.getMessage()).startsWith("Retries exhausted") ? error.getCause() : error;
    }

    /**
     * Without an exception handler the Vert.x client prints a connection's errors to stderr itself
     * (e.g. the server's FATAL on pg_terminate_backend); the same error also fails the pending
     * query or closes the connection, and that is what Strata reports, in one line.
     */
    private static void quiet(SqlConnection connection) {
        connection.exceptionHandler(error -> LOG.debugf("connection error (reported by the failing query): %s", error));
    }

    private static boolean retryable(Throwable error) {
        if (error instanceof PgException pg) {
            return RETRYABLE_STATES.contains(pg.getSqlState());
        }
        return error instanceof ConnectException || error instanceof NoRouteToHostException
                || error instanceof ClosedChannelException
                || (error.getMessage() != null && error.getMessage().contains("Connection refused"));
    }

    /** Turns a connection error into a one-line, password-free {@link ConnectionException}. */
    public ConnectionException explain(Throwable error) {
        String target = settings.target();
        if (error instanceof ConnectionException ce) {
            return ce;
        }
        ConnectionException tlsOrPassword = ConnectFailures.explain(error, settings);
        if (tlsOrPassword != null) {
            return tlsOrPassword;
        }
        if (error instanceof PgException pg) {
            String state = pg.getSqlState();
            String message = switch (state == null ? "" : state) {
                case "28P01" -> "password authentication failed for user " + settings.options().getUser()
                        + " on " + target + "; check the password in the URL or PGPASSWORD";
                case "28000" -> (pg.getErrorMessage() != null && pg.getErrorMessage().contains("no encryption")
                        ? "the server requires TLS for " + target + "; add ?sslmode=require to the URL"
                        : "the server refused the login for " + target + ": " + pg.getErrorMessage()
                                + "; check pg_hba.conf or the user name");
                case "3D000" -> "database " + settings.options().getDatabase() + " does not exist on "
                        + settings.options().getHost() + ":" + settings.options().getPort()
                        + "; create it (createdb " + settings.options().getDatabase() + ") or fix the URL";
                case "57P03" -> "the server at " + target + " is still starting up after "
                        + connectTimeout.toMillis() + " ms; retry later or raise --connect-timeout";
                default -> "cannot connect to " + target + ": " + pg.getErrorMessage() + " (SQLSTATE " + state + ")";
            };
            return new ConnectionException(message, error);
        }
        if (error instanceof UnknownHostException) {
            return new ConnectionException("unknown host " + settings.options().getHost() + " for " + target
                    + "; check the URL (on Fly.io, is the app attached to the database?)", error);
        }
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (reason.contains("SSL") || reason.contains("TLS") || reason.contains("ssl")) {
            return new ConnectionException("TLS negotiation with " + target + " failed: " + reason
                    + "; check sslmode, sslrootcert and the server's TLS setup", error);
        }
        return new ConnectionException("cannot connect to " + target + " after " + connectTimeout.toMillis()
                + " ms: " + DatabaseUrl.redactText(reason) + "; is the server running and reachable?", error);
    }

    /**
     * Closes the pool and every connection, waiting at most 5 s: a connection whose peer went
     * silent (a network partition) would otherwise keep the process from exiting.
     */
    @Override
    public void close() {
        pool.close().ifNoItem().after(Duration.ofSeconds(5)).recoverWithItem((Void) null)
                .onFailure().recoverWithNull().await().indefinitely();
    }
}
