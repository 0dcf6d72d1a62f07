package dev.strata.cli;

import dev.strata.report.ExitCodes;
import dev.strata.serve.HealthTarget;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code strata serve}: the long-running HTTP process of a Fly.io app machine: health checks and
 * read-only migration status; applying over HTTP only with the admin token.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve /q/health, /q/health/live, /q/health/ready, GET /migrations, GET /migrations/{number} "
                + "and, when STRATA_ADMIN_TOKEN is set, POST /migrations/apply (Authorization: Bearer TOKEN), "
                + "on port $PORT (default 8080). Runs until stopped.")
public class ServeCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;
    @Mixin
    CatalogOptions catalogOptions;

    @Inject
    CommandContext context;
    @Inject
    HealthTarget target;

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    @Override
    public Integer call() {
        target.configure(context.settings(connection), context.catalog(catalogOptions), catalogOptions.adopt(),
                Duration.ofMillis(connection.connectTimeoutMs));
        Console.err().println("strata: serving on port " + port + " for " + target.settings().redacted()
                + " (" + target.catalog().size() + " migrations); stop with SIGTERM");
        Quarkus.waitForExit();
        return ExitCodes.OK;
    }
}
