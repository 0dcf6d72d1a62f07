package dev.strata.cli;

import dev.strata.config.Database;
import dev.strata.migration.ApplyOptions;
import dev.strata.migration.ApplyResult;
import dev.strata.migration.Catalog;
import dev.strata.migration.CatalogMigration;
import dev.strata.migration.TargetWork;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code strata apply-all}: applies every pending migration in plan order. */
@Command(name = "apply-all", mixinStandardHelpOptions = true, description = "Apply every pending migration in dependency order, each in its own "
        + "transaction with its verify step.")
public class ApplyAllCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;
    @Mixin
    CatalogOptions catalogOptions;
    @Mixin
    RunOptions run;
    @Mixin
    ScanOptionsMixin scanOptions;
    @Mixin
    OutputOptions output;

    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;

    @Option(names = "--target", paramLabel = "N",
            description = "Apply only migrations numbered up to N (and what they depend on).")
    Long target;

    @Mixin
    FleetOptions fleet;
    @Inject
    Fleets fleets;

    @Inject
    Engine engine;

    @Override
    public Integer call() {
        Catalog catalog = engine.catalog(catalogOptions);
        ApplyOptions options = new ApplyOptions(dryRun, target, Duration.ofMillis(run.lockWaitMs), run.lockTimeoutMs,
                run.statementTimeoutMs, run.lockRetries);
        if (fleet.given()) {
            return fleets.run(fleet, connection, catalog, scanOptions.promoted(), TargetWork.apply(options), output.json,
                    ExitCodes.OK);
        }
        try (Database database = engine.database(connection)) {
            ApplyPrinter printer = new ApplyPrinter(catalog, output.json);
            ApplyResult result = engine.migrator(catalog, database, scanOptions.promoted()).applyAll(options, printer)
                    .await().indefinitely();
            printer.finish(result, database.settings().redacted());
        }
        return ExitCodes.OK;
    }
}
