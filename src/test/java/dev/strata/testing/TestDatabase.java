package dev.strata.testing;

import dev.strata.db.DatabaseUrl;
import dev.strata.embedded.EmbeddedPostgres;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL for tests, resolved once per JVM: {@code STRATA_TEST_DATABASE_URL} if set
 * (a URL of any database on the server; databases are created beside it), else Testcontainers
 * when a Docker engine answers, else the local server on 127.0.0.1:5432 when something answers
 * there, else an embedded PostgreSQL (the bundled binaries, see {@link EmbeddedServers}) started
 * for this JVM and stopped by a shutdown hook. Each test class gets a fresh database
 * ({@code CREATE DATABASE … TEMPLATE template0}), dropped afterwards.
 *
 * <p>With {@code CI=true} a missing server (the embedded one failing too) fails the test run;
 * elsewhere the tests are skipped with the reason, so the unit tiers still run.
 */
public final class TestDatabase implements AutoCloseable {

    private static final String LOCAL = "postgresql://postgres@127.0.0.1:5432/postgres";
    private static Server server;

    private final String name;
    private final String url;

    private TestDatabase(String name, String url) {
        this.name = name;
        this.url = url;
    }

    /** Creates a fresh, empty database whose name starts with {@code prefix}. */
    public static TestDatabase create(String prefix) {
        Server s = server();
        String name = ("strata_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        s.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
        return new TestDatabase(name, s.urlFor(name));
    }

    /** The database's URL, e.g. {@code postgresql://postgres@127.0.0.1:5432/strata_x_1a2b3c4d}. */
    public String url() {
        return url;
    }

    /** The URL as Strata prints it (no password), e.g. {@code postgresql://postgres@127.0.0.1:5432/strata_x_1a2b3c4d}. */
    public String redactedUrl() {
        return DatabaseUrl.parse(url, "test").redacted();
    }

    /** The database's name. */
    public String name() {
        return name;
    }

    /** Runs SQL (simple protocol) in this database and returns the first column of every row as text. */
    public List<String> query(String sql) {
        return server().run(name, sql);
    }

    /** The single value of a one-row, one-column query, or null. */
    public String value(String sql) {
        List<String> rows = query(sql);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Drops the database, disconnecting any session still in it. */
    @Override
    public void close() {
        server().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static synchronized Server server() {
        if (server == null) {
            server = Server.resolve();
        }
        return server;
    }

    /** The server the test databases live on. */
    private static final class Server {
        private final Vertx vertx = Vertx.vertx();
        private final PgConnectOptions admin;

        private Server(PgConnectOptions admin) {
            this.admin = admin;
        }

        static Server resolve() {
            String configured = System.getenv("STRATA_TEST_DATABASE_URL");
            if (configured != null && !configured.isBlank()) {
                return reachable(PgConnectOptions.fromUri(configured.replaceFirst("^jdbc:", "")), "STRATA_TEST_DATABASE_URL");
            }
            if (dockerAvailable()) {
                PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:15-alpine");
                container.start();
                return reachable(new PgConnectOptions().setHost(container.getHost())
                        .setPort(container.getMappedPort(5432)).setUser(container.getUsername())
                        .setPassword(container.getPassword()).setDatabase(container.getDatabaseName()), "Testcontainers");
            }
            if (answers("127.0.0.1", 5432)) {
                return reachable(PgConnectOptions.fromUri(LOCAL), "the local server");
            }
            return embedded();
        }

        /** An embedded server for the rest of this JVM's life, the last resort (no Docker, no local server). */
        private static Server embedded() {
            EmbeddedPostgres embedded = EmbeddedServers.throwAway("tests");
            try {
                embedded.start();
            } catch (RuntimeException e) {
                EmbeddedServers.discard(embedded);
                return unavailable("the embedded server, " + embedded.config().version(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> EmbeddedServers.discard(embedded), "embedded-postgres-stop"));
            System.err.println("TestDatabase: no STRATA_TEST_DATABASE_URL, no Docker, nothing on 127.0.0.1:5432: "
                    + "using an embedded PostgreSQL " + embedded.config().version() + " at " + embedded.url());
            return reachable(PgConnectOptions.fromUri(embedded.url()), "the embedded server");
        }

        private static boolean answers(String host, int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static boolean dockerAvailable() {
            if (new java.io.File("/var/run/docker.sock").exists() || System.getenv("DOCKER_HOST") != null) {
                try {
                    return DockerClientFactory.instance().isDockerAvailable();
                } catch (Throwable e) {
                    return false;
                }
            }
            return false;
        }

        private static Server reachable(PgConnectOptions options, String source) {
            Server candidate = new Server(options);
            try {
                candidate.run(options.getDatabase(), "SELECT 1");
                return candidate;
            } catch (RuntimeException e) {
                return unavailable(source + ", " + options.getHost() + ":" + options.getPort(), e);
            }
        }

        /** Fails (CI=true) or skips the test: no database. */
        private static Server unavailable(String what, RuntimeException e) {
            String message = "no PostgreSQL for the tests (" + what + "): " + e.getMessage()
                    + ". Start one, or set STRATA_TEST_DATABASE_URL.";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true: " + message, e);
            }
            Assumptions.abort(message);
            throw e;
        }

        String urlFor(String database) {
            return "postgresql://" + admin.getUser() + (admin.getPassword() == null || admin.getPassword().isEmpty()
                    ? "" : ":" + admin.getPassword()) + "@" + admin.getHost() + ":" + admin.getPort() + "/" + database;
        }

        void execute(String sql) {
            run(admin.getDatabase(), sql);
        }

        List<String> run(String database, String sql) {
            PgConnectOptions options = new PgConnectOptions(admin).setDatabase(database);
            try {
                return PgConnection.connect(vertx, options)
                        .compose(conn -> conn.query(sql).execute()
                                .map(rows -> {
                                    List<String> values = new ArrayList<>();
                                    for (Row row : rows) {
                                        Object v = row.getValue(0);
                                        values.add(v == null ? null : v.toString());
                                    }
                                    return values;
                                })
                                .eventually(() -> conn.close()))
                        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new RuntimeException(cause.getMessage(), cause);
            }
        }
    }
}
