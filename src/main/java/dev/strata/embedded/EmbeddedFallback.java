package dev.strata.embedded;

import dev.strata.db.ConfigException;
import dev.strata.db.ConnectionSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The zero-setup path: when no database is configured (the settings' source is {@code default}),
 * a running {@code strata db start} server is used first; then whatever answers on localhost:5432
 * (said on stderr); and when nothing answers there, a command runs against the embedded PostgreSQL instead,
 * the way Quarkus Dev Services would start a container. A server this command started is stopped
 * when the application shuts down; one that was already running ({@code strata db start}) is left
 * running. The data stays between runs.
 *
 * <p>Off with {@code STRATA_EMBEDDED=off}. On Fly.io ({@code FLY_APP_NAME} is set on every
 * Machine) nothing is configured means {@code DATABASE_URL} was forgotten: that is an error, never
 * a migration of localhost or of a throw-away database that reports success.
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
    private final Set<String> warned = new java.util.HashSet<>();

    /**
     * The settings to use: {@code resolved} when something is configured; with nothing configured,
     * a running {@code strata db start} server, else whatever answers on localhost:5432 (said on
     * stderr), else the embedded server, started here. Prints the settings' warnings once.
     *
     * @throws ConfigException on Fly.io ({@code FLY_APP_NAME} set) when no database URL is set
     * @throws dev.strata.embedded.EmbeddedException when the embedded server cannot be started
     */
    public synchronized ConnectionSettings apply(ConnectionSettings resolved, Map<String, String> env) {
        return apply(resolved, env, PROBE_HOST, PROBE_PORT, () -> new EmbeddedPostgres(EmbeddedConfig.of(env, null, null, null),
                ServerUser.detect(env), env, note -> System.err.println("strata: " + note)));
    }

    synchronized ConnectionSettings apply(ConnectionSettings resolved, Map<String, String> env, String host, int port,
                                          Supplier<EmbeddedPostgres> embedded) {
        resolved.warnings().forEach(this::warnOnce);
        if (!"default".equals(resolved.source())) {
            return resolved;
        }
        if (env.containsKey("FLY_APP_NAME")) {
            throw new ConfigException(NOT_SET_ON_FLY.formatted(env.get("FLY_APP_NAME")));
        }
        boolean allowed = !OFF.contains(env.getOrDefault("STRATA_EMBEDDED", "").trim().toLowerCase(Locale.ROOT));
        EmbeddedPostgres server = allowed ? embedded.get() : null;
        if (server != null && server.status().state() == EmbeddedPostgres.State.RUNNING) {
            ConnectionSettings settings = ConnectionSettings.fromUrl(server.url(), "embedded PostgreSQL");
            warnOnce("strata: no database configured: using the running embedded PostgreSQL (strata db start) at "
                    + settings.redacted() + " (data in " + server.config().instanceDir() + ")");
            return settings;
        }
        if (!allowed || answers(host, port)) {
            warnOnce("strata: no database configured (no --url, DIRECT_DATABASE_URL, DATABASE_URL or PG* variable): "
                    + "using " + resolved.redacted());
            return resolved;
        }
        boolean started = server.start();
        if (started && startedHere == null) {
            startedHere = server;
        }
        ConnectionSettings settings = ConnectionSettings.fromUrl(server.url(), "embedded PostgreSQL");
        System.err.println("strata: no database configured and nothing answers on " + host + ":" + port
                + ": using the embedded PostgreSQL " + server.config().version() + " at " + settings.redacted()
                + " (data in " + server.config().instanceDir() + ")");
        return settings;
    }

    /** What a Fly.io Machine without a database URL is told (FLY_APP_NAME is set on every Machine). */
    static final String NOT_SET_ON_FLY = "DATABASE_URL is not set (nor DIRECT_DATABASE_URL, --url or PG* variables) "
            + "on this Fly.io Machine of app %s: attach a database (fly postgres attach, or fly mpg attach) or "
            + "fly secrets set DATABASE_URL=...; Strata does not fall back to localhost on Fly.io";

    private void warnOnce(String line) {
        if (warned.add(line)) {
            System.err.println(line.startsWith("strata: ") ? line : "strata: " + line);
        }
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
                System.err.println("strata: could not stop the embedded PostgreSQL in "
                        + startedHere.config().instanceDir() + ": " + e.getMessage() + " (strata db stop)");
            }
            startedHere = null;
        }
    }
}
