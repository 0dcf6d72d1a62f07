package dev.strata.cli;

import dev.strata.migration.Catalog;
import dev.strata.migration.Maintenance;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code strata repair N}: settle a migration that failed part-way. */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Settle a (non-transactional) migration that failed part-way: re-run its verify step and, "
                + "when it passes, record it as applied; otherwise explain what is left. With --retry, remove the "
                + "failed record so the next apply-all runs the migration again.")
public class RepairCommand implements Callable<Integer> {

    @Parameters(paramLabel = "N", description = "Migration number.")
    long number;

    @Option(names = "--retry", description = "Remove the failed record instead, so apply-all runs the migration again.")
    boolean retry;

    @Mixin
    ConnectionOptions connection;
    @Mixin
    CatalogOptions catalogOptions;
    @Mixin
    RunOptions run;
    @Mixin
    OutputOptions output;

    @Inject
    Engine engine;

    @Override
    public Integer call() {
        Catalog catalog = engine.catalog(catalogOptions);
        Maintenance.RepairResult result = engine.withMigrator(connection, catalog, migrator ->
                new Maintenance(migrator).repair(number, retry, Duration.ofMillis(run.lockWaitMs), Console.notes()));
        if (output.json) {
            Json.print(Map.of("repaired", result.repaired(), "message", result.message()));
        } else {
            Console.out().println(result.message());
        }
        return result.repaired() ? ExitCodes.OK : ExitCodes.MIGRATION_FAILED;
    }
}
