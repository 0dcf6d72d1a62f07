package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.engine.Repair;
import dev.strata.report.ExitCodes;
import dev.strata.report.Json;
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
        description = "Settle a (non-transactional) migration that failed part-way: run the statements that did "
                + "not run (the history row records how many completed), then its verify step, and only then record "
                + "it as applied; otherwise say which statements did not run. With --retry, remove the failed record "
                + "so the next apply-all runs the migration again; with --mark-applied, record it as applied "
                + "without checking anything.")
public class RepairCommand implements Callable<Integer> {

    @Parameters(paramLabel = "N", description = "Migration number.")
    long number;

    @Option(names = "--retry", description = "Remove the failed record instead, so apply-all runs the migration again.")
    boolean retry;

    @Option(names = "--mark-applied", description = "Record the migration as applied without running or checking "
            + "anything (when you finished its work by hand).")
    boolean markApplied;

    @Mixin
    ConnectionOptions connection;
    @Mixin
    CatalogOptions catalogOptions;
    @Mixin
    ApplyOptionsMixin run;
    @Mixin
    OutputOptions output;

    @Inject
    CommandContext context;

    @Override
    public Integer call() {
        if (retry && markApplied) {
            throw new dev.strata.db.ConfigException("--retry and --mark-applied exclude each other: --retry "
                    + "runs the migration again, --mark-applied records it as done; choose one");
        }
        Repair.RepairMode mode = retry ? Repair.RepairMode.RETRY
                : markApplied ? Repair.RepairMode.MARK_APPLIED : Repair.RepairMode.RESUME;
        Catalog catalog = context.catalog(catalogOptions);
        Repair.RepairResult result = context.withMigrator(connection, catalog, migrator ->
                new Repair(migrator).repair(number, mode, Duration.ofMillis(run.lockWaitMs), Console.notes()));
        if (output.json) {
            Json.print(Map.of("repaired", result.repaired(), "checked", mode != Repair.RepairMode.MARK_APPLIED,
                    "message", result.message()));
        } else {
            Console.out().println(result.message());
        }
        return result.repaired() ? ExitCodes.OK : ExitCodes.MIGRATION_FAILED;
    }
}
