package dev.strata.testing;

import dev.strata.embedded.EmbeddedConfig;
import dev.strata.embedded.EmbeddedPostgres;
import dev.strata.embedded.ServerUser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Throw-away embedded PostgreSQL servers for tests: the bundled version (or
 * {@code STRATA_EMBEDDED_VERSION}), binaries cached in {@code $TMPDIR/strata-tests-USER}, a data
 * directory of their own there, a free port, and no fsync (nothing here must survive a crash).
 * The temporary directory is used rather than target/ because, when the tests run as root, the
 * server runs as user postgres, who may not be able to enter the checkout (e.g. under /root).
 */
public final class EmbeddedServers {

    /** Settings for a server whose data may be lost in a crash: faster commits and initdb --no-sync. */
    public static final Map<String, String> THROW_AWAY = Map.of("fsync", "off", "synchronous_commit", "off",
            "full_page_writes", "off");

    private EmbeddedServers() {
    }

    /** A new, not yet started server in a fresh directory whose name starts with {@code prefix}. */
    public static EmbeddedPostgres throwAway(String prefix) {
        Map<String, String> env = System.getenv();
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "strata-tests-" + System.getProperty("user.name"));
        Path instance = home.resolve(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        EmbeddedConfig config = EmbeddedConfig.of(env, null, instance, freePort()).withHome(home).withSettings(THROW_AWAY);
        return new EmbeddedPostgres(config, ServerUser.detect(env), env, note -> System.err.println("embedded: " + note));
    }

    /** Stops the server if it runs and deletes its directory (the cached binaries stay). */
    public static void discard(EmbeddedPostgres server) {
        try {
            server.stop();
        } finally {
            delete(server.config().instanceDir());
        }
    }

    /** A TCP port nothing listens on at 127.0.0.1 right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
