package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.db.ConfigException;
import dev.strata.report.ExitCodes;
import dev.strata.serve.FleetStatus;
import dev.strata.serve.HealthTarget;
import dev.strata.serve.HttpService;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code strata serve}: the long-running HTTP process of a Fly.io app machine: health checks,
 * read-only migration status and the status page at {@code /} (with {@code --targets} or
 * {@code --targets-query}, also the fleet's status, read-only); applying over HTTP only with the
 * admin token. The HTTP server ({@link HttpService}) already listens when this runs: it starts with
 * the application, because {@code dev.strata.StrataMain} sets {@code strata.http.enabled} for
 * {@code serve}; this waits until SIGTERM or Ctrl-C, and the server closes at shutdown.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the status page at / (graph, counts, last run; with --targets or --targets-query the "
                + "fleet's status too, read-only), /status.json, /q/health, /q/health/live, /q/health/ready, "
                + "GET /migrations, GET /migrations/{number} and, when STRATA_ADMIN_TOKEN is set, POST /migrations/apply "
                + "(Authorization: Bearer TOKEN), on port $PORT (default 8080). Without STRATA_ADMIN_TOKEN the status "
                + "page answers only direct requests from loopback or private addresses. Runs until stopped.")
public class ServeCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;
    @Mixin
    CatalogOptions catalogOptions;
    @Mixin
    FleetOptions fleet;

    @Inject
    CommandContext context;
    @Inject
    HealthTarget target;
    @Inject
    FleetStatus fleetStatus;
    @Inject
    Fleets fleets;

    @Inject
    HttpService http;

    @Override
    public Integer call() {
        Catalog catalog = context.catalog(catalogOptions);
        if (fleet.given()) {
            if (fleet.canary != null || fleet.onError != null || fleet.maxFailures != null) {
                throw new ConfigException("serve only reads a fleet's status: --canary, --on-error and --max-failures "
                        + "do not apply; keep --targets or --targets-query (and --parallel)");
            }
            fleetStatus.configure(fleets.targets(fleet, connection), catalog, fleet.rollout().parallel(),
                    Duration.ofMillis(connection.connectTimeoutMs));
        }
        if (!http.listening()) {
            throw new ConfigException("serve answers HTTP, but strata.http.enabled is false (STRATA_HTTP_ENABLED or "
                    + "-Dstrata.http.enabled): unset it");
        }
        target.configure(context.settings(connection), catalog, catalogOptions.adopt(),
                Duration.ofMillis(connection.connectTimeoutMs));
        Console.err().println("strata: serving on port " + http.port() + " for " + target.settings().redacted()
                + " (" + target.catalog().size() + " migrations"
                + (fleetStatus.configured() ? ", a fleet's status on the page" : "") + "); stop with SIGTERM");
        Quarkus.waitForExit();
        return ExitCodes.OK;
    }
}
