package dev.strata.cli;

import dev.strata.config.ConnectionSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** When the embedded server stands in for an unconfigured database (tier 1: the decision, not the start). */
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

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
