package dev.strata.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * TLS and password look-up against a real PostgreSQL 15 with {@code ssl=on}, a certificate for
 * {@code localhost} only from a CA the test creates, and scram-sha-256 (issue 12, items 5 and 6).
 */
@Tag("db")
class TlsAndPasswordServerTest {

    private static final Vertx VERTX = Vertx.vertx();
    private static ScratchTlsServer server;
    private static Path home;

    @BeforeAll
    static void start() throws Exception {
        server = new ScratchTlsServer();
        home = Files.createTempDirectory("strata-home-");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (home != null) {
            try (java.util.stream.Stream<Path> tree = Files.walk(home)) {
                tree.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        VERTX.close();
    }

    /** The outcome of one connection attempt: "ok tls", "ok plain", or the error message. */
    private static String outcome(String url, Map<String, String> env) {
        ConnectionSettings settings;
        try {
            settings = ConnectionSettings.resolve(url, env, Optional.empty());
        } catch (ConfigException e) {
            return "config: " + e.getMessage();
        }
        try (ConnectionPool database = new ConnectionPool(VERTX, settings, 1, Duration.ofSeconds(3))) {
            SqlConnection connection = database.connect().await().atMost(Duration.ofSeconds(30));
            try {
                Row row = connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").execute()
                        .await().atMost(Duration.ofSeconds(10)).iterator().next();
                return row.getBoolean(0) ? "ok tls" : "ok plain";
            } finally {
                connection.closeAndAwait();
            }
        } catch (ConnectionException e) {
            return "error: " + e.getMessage();
        }
    }

    private static Map<String, String> env() {
        return Map.of("HOME", home.toString());
    }

    @Test
    void tlsMatrix() {
        String[] modes = {"disable", "prefer", "require", "verify-ca", "verify-full"};
        Map<String, String> cas = new java.util.LinkedHashMap<>();
        cas.put("none", null);
        cas.put("right CA", server.ca.toString());
        cas.put("other CA", server.otherCa.toString());
        cas.put("system", "system");
        List<String> table = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (String mode : modes) {
            for (Map.Entry<String, String> ca : cas.entrySet()) {
                for (String host : new String[] {"localhost", "127.0.0.1"}) {
                    String query = "sslmode=" + mode + (ca.getValue() == null ? "" : "&sslrootcert=" + ca.getValue());
                    String got = outcome(server.url("postgres:postgres-pw", host, query), env());
                    String want = expected(mode, ca.getKey(), host);
                    table.add(String.format("%-11s | %-8s | %-9s | %s", mode, ca.getKey(), host, got));
                    if (!got.startsWith(want)) {
                        wrong.add(mode + " / " + ca.getKey() + " / " + host + ": expected " + want + ", got " + got);
                    }
                    assertThat(got).doesNotContain("sslmode=disable").doesNotContain("or prefer")
                            .doesNotContain("postgres-pw");
                }
            }
        }
        System.out.println("TLS matrix (sslmode | CA | host | outcome), server cert for DNS:localhost only:");
        table.forEach(System.out::println);
        assertThat(wrong).isEmpty();
    }

    /** What libpq does (PostgreSQL docs 34.19, table "SSL Mode Descriptions"), in the words of Strata's messages. */
    private static String expected(String mode, String ca, String host) {
        boolean wrongHost = host.equals("127.0.0.1");
        if (ca.equals("system")) {
            // libpq 16: "weak sslmode may not be used with sslrootcert=system (use verify-full)"
            return mode.equals("verify-full") ? "error: TLS: the server's certificate (issued by" : "config: ";
        }
        if (mode.equals("disable")) {
            return "ok plain";
        }
        if (ca.equals("none")) {
            return mode.startsWith("verify") ? "config: " : "ok tls";
        }
        if (ca.equals("other CA")) {
            // prefer falls back to a plain connection when the TLS attempt fails, as libpq's does
            return mode.equals("prefer") ? "ok plain" : "error: TLS: the server's certificate (issued by";
        }
        if (mode.equals("verify-full") && wrongHost) {
            return "error: TLS: the server's certificate is not valid for host 127.0.0.1";
        }
        return "ok tls";
    }

    @Test
    void clientCertificateLogsInARoleThatRequiresOne() {
        String query = "sslmode=verify-full&sslrootcert=" + server.ca + "&sslcert=" + server.clientCert
                + "&sslkey=" + server.clientKey;
        assertThat(outcome(server.url("certuser", "localhost", query), env())).isEqualTo("ok tls");
        assertThat(outcome(server.url("certuser", "localhost", "sslmode=verify-full&sslrootcert=" + server.ca), env()))
                .startsWith("error: ").contains("certuser");
    }

    @Test
    void aMissingPasswordIsSaidAsSuchAtOnce() {
        String got = outcome(server.url("app", "127.0.0.1", "sslmode=disable"), env());

        assertThat(got).startsWith("error: the server asks for a password for user app")
                .contains("none was given").contains("PGPASSWORD").doesNotContain("after 3000 ms");
    }

    @Test
    void pgpasswordIsUsedWhenTheUrlHasNone() {
        Map<String, String> env = new HashMap<>(env());
        env.put("PGPASSWORD", ScratchTlsServer.APP_PASSWORD);

        assertThat(outcome(server.url("app", "127.0.0.1", "sslmode=disable"), env)).isEqualTo("ok plain");
    }

    @Test
    void theUrlPasswordWinsOverPgpassword() {
        Map<String, String> env = new HashMap<>(env());
        env.put("PGPASSWORD", "wrong-password");
        String url = server.url("app:" + URLEncoder.encode(ScratchTlsServer.APP_PASSWORD, StandardCharsets.UTF_8)
                .replace("+", "%20"), "127.0.0.1", "sslmode=disable");

        assertThat(outcome(url, env)).isEqualTo("ok plain");
    }

    @Test
    void pgpassFileIsReadWithWildcardsAndEscapesAndIgnoredWhenOthersCanReadIt() throws Exception {
        Path file = home.resolve("pgpass");
        String escaped = ScratchTlsServer.APP_PASSWORD.replace("\\", "\\\\").replace(":", "\\:");
        Files.writeString(file, "# comment\n127.0.0.1:" + server.port + ":postgres:other:nope\n"
                + "localhost:*:*:app:wrong\n"
                + "127.0.0.1:*:*:app:" + escaped + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> env = new HashMap<>(env());
        env.put("PGPASSFILE", file.toString());
        String url = server.url("app", "127.0.0.1", "sslmode=disable");

        assertThat(outcome(url, env)).isEqualTo("ok plain");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ConnectionSettings settings = ConnectionSettings.resolve(url, env, Optional.empty());
        assertThat(settings.warnings()).singleElement().asString()
                .contains("has group or world access").contains("0600");
        assertThat(outcome(url, env)).startsWith("error: the server asks for a password for user app");
    }
}
