package dev.strata;

import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Strata's entry point. The HTTP server ({@code dev.strata.serve.HttpService}) stays off for every
 * command but {@code serve}, which is the only one that answers HTTP (health checks, status): it
 * starts with the application when {@code strata.http.enabled} is true, so the switch has to
 * happen before Quarkus starts.
 */
@QuarkusMain
public final class StrataMain {

    private StrataMain() {
    }

    /** Runs the command line; the process exits with the command's exit code. */
    public static void main(String... args) {
        if (args.length > 0 && "serve".equals(args[0]) && System.getProperty("strata.http.enabled") == null) {
            System.setProperty("strata.http.enabled", "true");
            String busy = portInUse(System.getenv());
            if (busy != null) {
                System.err.println("strata: " + busy);
                System.exit(2); // usage/config, as documented; Quarkus would log a stack and exit 1
            }
        }
        reportInterruption();
        Quarkus.run(PicocliRunner.class, args);
    }

    /**
     * On SIGTERM or Ctrl-C mid-run, one line saying what happens to the running migration; the
     * process then exits with 143 (SIGTERM) or 130 (SIGINT), as Quarkus does for signals.
     */
    public static void reportInterruption() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dev.strata.engine.RunningMigration
                .interruption("a signal (SIGTERM or Ctrl-C)")
                .ifPresent(line -> System.err.println("strata: " + line)), "strata-interrupted"));
    }

    /**
     * Why {@code serve} cannot listen, or null: binds the port the HTTP server will use (system
     * property {@code strata.http.port}, else STRATA_HTTP_PORT, else PORT, else 8080, on
     * {@code strata.http.host}, else STRATA_HTTP_HOST, else 0.0.0.0) and lets it go again.
     *
     * @return one line naming the address and what to do, or null when the port is free
     */
    static String portInUse(java.util.Map<String, String> env) {
        String port = System.getProperty("strata.http.port", env.getOrDefault("STRATA_HTTP_PORT",
                env.getOrDefault("PORT", "8080")));
        String host = System.getProperty("strata.http.host", env.getOrDefault("STRATA_HTTP_HOST", "0.0.0.0"));
        int number;
        try {
            number = Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            return "PORT is not a port number: " + port + "; set PORT to a free port, e.g. 8080";
        }
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(host, number));
            return null;
        } catch (java.io.IOException e) {
            return "cannot listen on " + host + ":" + number + " (" + e.getMessage()
                    + "): another process uses the port; stop it, or set PORT to a free port";
        }
    }
}
