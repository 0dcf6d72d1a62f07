package dev.strata.cli;

import dev.strata.report.ExitCodes;
import dev.strata.serve.HealthTarget;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code strata health}: the MicroProfile Health report of the database and its migrations. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Print the MicroProfile Health JSON ({\"status\":…,\"checks\":[…]}) of the checks database, "
                + "migrations and schema-history. Exit 0 when UP, 1 when DOWN. Starts no HTTP server. With --targets "
                + "FILE or --targets-query SQL: every target checked (--parallel at a time), one line each, then one "
                + "verdict naming the DOWN targets; exit 0 when all are UP, 1 when any is DOWN.")
public class HealthCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;
    @Mixin
    CatalogOptions catalogOptions;
    @Mixin
    OutputOptions output;
    @Mixin
    FleetOptions fleet;
    @Inject
    FleetHealth fleetHealth;

    @Inject
    CommandContext context;
    @Inject
    HealthTarget target;
    @Inject
    SmallRyeHealthReporter reporter;

    @Override
    public Integer call() {
        if (fleet.given()) {
            return fleetHealth.run(fleet, connection, context.catalog(catalogOptions), output.json);
        }
        target.configure(context.settings(connection), context.catalog(catalogOptions), catalogOptions.adopt(),
                Duration.ofMillis(connection.connectTimeoutMs));
        SmallRyeHealth health = reporter.getHealthAsync().await().indefinitely();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        reporter.reportHealth(json, health);
        Console.out().println(json.toString(StandardCharsets.UTF_8));
        return health.isDown() ? ExitCodes.MIGRATION_FAILED : ExitCodes.OK;
    }
}
