package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogMigration;
import dev.strata.engine.Baseline;
import dev.strata.report.ExitCodes;
import dev.strata.report.Json;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code strata baseline --up-to N}: adopt a database that already has the schema. */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Record migrations up to N (and their dependencies) as applied without running them, for a "
                + "database that already has their schema, e.g. one the Python system migrated: its "
                + "schema_migrations table is adopted in place. Each verify step must pass first.")
public class BaselineCommand implements Callable<Integer> {

    @Option(names = "--up-to", paramLabel = "N", required = true, description = "Highest migration number to record.")
    long upTo;

    @Option(names = "--skip-verify", description = "Record without running the verify steps first.")
    boolean skipVerify;

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
        Catalog catalog = context.catalog(catalogOptions);
        Baseline.BaselineResult result = context.withMigrator(connection, catalog, migrator ->
                new Baseline(migrator).baseline(upTo, skipVerify, Duration.ofMillis(run.lockWaitMs), Console.notes()));
        if (output.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("upTo", upTo);
            json.put("recorded", result.inserted());
            json.put("adopted", result.adopted());
            json.put("alreadyRecorded", result.already());
            Json.print(json);
        } else {
            result.inserted().forEach(n -> Console.out().println("  " + n + " ... recorded as applied (baseline)"));
            result.adopted().forEach(n -> Console.out().println("  " + n + " ... adopted from the existing history"));
            Console.out().println("Baseline up to " + CatalogMigration.format(upTo) + ": " + result.inserted().size()
                    + " recorded, " + result.adopted().size() + " adopted, " + result.already().size()
                    + " already recorded.");
        }
        return ExitCodes.OK;
    }
}
