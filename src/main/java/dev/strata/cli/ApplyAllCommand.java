package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.db.ConnectionPool;
import dev.strata.engine.ApplyOptions;
import dev.strata.engine.ApplyResult;
import dev.strata.engine.TargetWork;
import dev.strata.report.ExitCodes;
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
    ApplyOptionsMixin run;
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
    CommandContext context;

    @Override
    public Integer call() {
        Catalog catalog = scanOptions.allowing(context.catalog(catalogOptions));
        ApplyOptions options = new ApplyOptions(dryRun, target, Duration.ofMillis(run.lockWaitMs), run.lockTimeoutMs,
                run.statementTimeoutMs, run.lockRetries);
        if (fleet.given()) {
            return fleets.run(fleet, connection, catalog, scanOptions.promoted(), TargetWork.apply(options), output.json,
                    ExitCodes.OK);
        }
        try (ConnectionPool database = context.database(connection)) {
            ApplyPrinter printer = new ApplyPrinter(catalog, output.json);
            ApplyResult result = context.migrator(catalog, database, scanOptions.promoted()).applyAll(options, printer)
                    .await().indefinitely();
            printer.finish(result, database.settings().redacted());
        }
        return ExitCodes.OK;
    }
}
