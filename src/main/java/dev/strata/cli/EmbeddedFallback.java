package dev.strata.cli;

import dev.strata.config.ConnectionSettings;
import dev.strata.embedded.EmbeddedConfig;
import dev.strata.embedded.EmbeddedPostgres;
import dev.strata.embedded.ServerUser;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The zero-setup path: when no database is configured (the settings' source is {@code default})
 * and nothing answers on localhost:5432, a command runs against the embedded PostgreSQL instead,
 * the way Quarkus Dev Services would start a container. A server this command started is stopped
 * when the application shuts down; one that was already running ({@code strata db start}) is left
 * running. The data stays between runs.
 *
 * <p>Off with {@code STRATA_EMBEDDED=off}, and on Fly.io ({@code FLY_APP_NAME} is set on every
 * Machine): a release command with a forgotten {@code DATABASE_URL} must fail, not migrate a
 * throw-away database and report success.
 */
@ApplicationScoped
public class EmbeddedFallback {

    /** Where an unconfigured Strata looks for a server first ({@link ConnectionSettings#DEFAULT_URL}). */
    static final String PROBE_HOST = "localhost";
    static final int PROBE_PORT = 5432;
    /** How long the probe waits for each address of localhost, in ms: a local server answers at once. */
    static final int PROBE_TIMEOUT_MS = 300;

    private static final Set<String> OFF = Set.of("off", "false", "0", "no");

    private EmbeddedPostgres startedHere;

    /**
     * The settings to use: {@code resolved} unless {@link #wanted} says the embedded server
     * should stand in; then that server's settings, after starting it if it does not run.
     *
     * @throws dev.strata.embedded.EmbeddedException when the embedded server cannot be started
     */
    public synchronized ConnectionSettings apply(ConnectionSettings resolved, Map<String, String> env) {
        if (!wanted(resolved, env, PROBE_HOST, PROBE_PORT)) {
            return resolved;
        }
        EmbeddedPostgres server = new EmbeddedPostgres(EmbeddedConfig.of(env, null, null, null), ServerUser.detect(env),
                env, note -> Console.err().println("strata: " + note));
        boolean started = server.start();
        if (started && startedHere == null) {
            startedHere = server;
        }
        ConnectionSettings settings = ConnectionSettings.fromUrl(server.url(), "embedded PostgreSQL");
        Console.err().println("strata: no database configured and nothing answers on " + PROBE_HOST + ":" + PROBE_PORT
                + ": using the embedded PostgreSQL " + server.config().version() + " at " + settings.redacted()
                + " (data in " + server.config().instanceDir() + ")");
        return settings;
    }

    /**
     * True when the embedded server should stand in: nothing is configured (source {@code default}),
     * it is not switched off ({@code STRATA_EMBEDDED=off}, or {@code FLY_APP_NAME} set), and no
     * server accepts TCP connections on {@code host:port}.
     */
    static boolean wanted(ConnectionSettings resolved, Map<String, String> env, String host, int port) {
        if (!"default".equals(resolved.source())) {
            return false;
        }
        String setting = env.getOrDefault("STRATA_EMBEDDED", "").trim().toLowerCase(Locale.ROOT);
        if (OFF.contains(setting) || env.containsKey("FLY_APP_NAME")) {
            return false;
        }
        return !answers(host, port);
    }

    /** True when something accepts a TCP connection on any address of {@code host} at {@code port}. */
    static boolean answers(String host, int port) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (IOException e) {
            return false;
        }
        for (InetAddress address : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), PROBE_TIMEOUT_MS);
                return true;
            } catch (IOException e) {
                // nothing on this address
            }
        }
        return false;
    }

    /** Stops the server this process started, when the application shuts down. */
    @PreDestroy
    synchronized void stopStarted() {
        if (startedHere != null) {
            try {
                startedHere.stop();
            } catch (RuntimeException e) {
                Console.err().println("strata: could not stop the embedded PostgreSQL in "
                        + startedHere.config().instanceDir() + ": " + e.getMessage() + " (strata db stop)");
            }
            startedHere = null;
        }
    }
}
