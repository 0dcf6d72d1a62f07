package dev.strata.embedded;

import dev.strata.db.ConfigException;
import dev.strata.db.ConnectionSettings;
import dev.strata.testing.EmbeddedServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When the embedded server stands in for an unconfigured database (tier 1: the decision, not the start). */
@Tag("db")
class EmbeddedFallbackTest {

    private static final ConnectionSettings DEFAULT = ConnectionSettings.resolve(null, Map.of(), Optional.empty());

    @Test
    void onlyWhenNothingIsConfiguredAndNothingAnswers() throws IOException {
        int closed = closedPort();
        assertThat(DEFAULT.source()).isEqualTo("default");
        assertThat(EmbeddedFallback.wanted(DEFAULT, Map.of(), "127.0.0.1", closed)).isTrue();
        ConnectionSettings configured = ConnectionSettings.resolve(null, Map.of("PGHOST", "localhost"), Optional.empty());
        assertThat(EmbeddedFallback.wanted(configured, Map.of(), "127.0.0.1", closed)).as("PG* variables count").isFalse();
        ConnectionSettings url = ConnectionSettings.resolve("postgres://a@b/c", Map.of(), Optional.empty());
        assertThat(EmbeddedFallback.wanted(url, Map.of(), "127.0.0.1", closed)).isFalse();
    }

    @Test
    void notWhenAServerAnswersOnTheDefaultAddress() throws IOException {
        try (ServerSocket listening = new ServerSocket()) {
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertThat(EmbeddedFallback.wanted(DEFAULT, Map.of(), "127.0.0.1", listening.getLocalPort())).isFalse();
        }
    }

    @Test
    void notWhenSwitchedOffOrOnFly() throws IOException {
        int closed = closedPort();
        assertThat(EmbeddedFallback.wanted(DEFAULT, Map.of("STRATA_EMBEDDED", "off"), "127.0.0.1", closed)).isFalse();
        assertThat(EmbeddedFallback.wanted(DEFAULT, Map.of("STRATA_EMBEDDED", "FALSE"), "127.0.0.1", closed)).isFalse();
        assertThat(EmbeddedFallback.wanted(DEFAULT, Map.of("FLY_APP_NAME", "strata-crm"), "127.0.0.1", closed))
                .as("a Fly release command without a database URL must fail, not migrate a throw-away server").isFalse();
        assertThat(EmbeddedFallback.wanted(DEFAULT, Map.of("STRATA_EMBEDDED", "on"), "127.0.0.1", closed)).isTrue();
    }

    @Test
    void onFlyWithoutAUrlTheErrorSaysDatabaseUrlIsNotSet() {
        assertThatThrownBy(() -> new EmbeddedFallback().apply(DEFAULT, Map.of("FLY_APP_NAME", "strata-crm")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("DATABASE_URL is not set")
                .hasMessageContaining("strata-crm")
                .hasMessageNotContaining("localhost:5432");
    }

    @Test
    void theImplicitLocalhostDefaultIsSaidOnStderrInOneLine() throws IOException {
        try (ServerSocket listening = new ServerSocket()) {
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String err = stderrOf(() -> {
                EmbeddedFallback fallback = new EmbeddedFallback();
                ConnectionSettings used = fallback.apply(DEFAULT, Map.of(), "127.0.0.1", listening.getLocalPort(),
                        () -> EmbeddedServers.throwAway("not-started"));
                fallback.apply(DEFAULT, Map.of(), "127.0.0.1", listening.getLocalPort(),
                        () -> EmbeddedServers.throwAway("not-started"));
                assertThat(used).isSameAs(DEFAULT);
            });
            assertThat(err.lines().toList()).singleElement().asString()
                    .startsWith("strata: no database configured").endsWith("using postgresql://postgres@localhost:5432/postgres");
        }
    }

    @Test
    void aPasswordOnTheCommandLineIsWarnedAboutOnce() {
        ConnectionSettings cli = ConnectionSettings.resolve("postgres://app:Hunter2Pw@db.internal/crm", Map.of(), Optional.empty());
        String err = stderrOf(() -> {
            EmbeddedFallback fallback = new EmbeddedFallback();
            fallback.apply(cli, Map.of());
            fallback.apply(cli, Map.of());
        });
        assertThat(err).containsOnlyOnce("visible to other users").contains("PGPASSWORD").doesNotContain("Hunter2Pw");
    }

    @Test
    @Tag("db")
    void aRunningDbStartServerComesBeforeTheImplicitLocalhostDefault() throws IOException {
        EmbeddedPostgres server = EmbeddedServers.throwAway("fallback-running");
        try (ServerSocket listening = new ServerSocket()) {
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.start();
            ConnectionSettings[] used = new ConnectionSettings[1];
            String err = stderrOf(() -> used[0] = new EmbeddedFallback().apply(DEFAULT, Map.of(), "127.0.0.1",
                    listening.getLocalPort(), () -> server));
            assertThat(used[0].redacted()).isEqualTo(ConnectionSettings.fromUrl(server.url(), "x").redacted());
            assertThat(err).contains("using the running embedded PostgreSQL (strata db start)");
            assertThat(server.status().state()).as("left running").isEqualTo(EmbeddedPostgres.State.RUNNING);
        } finally {
            EmbeddedServers.discard(server);
        }
    }

    private static String stderrOf(Runnable work) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
