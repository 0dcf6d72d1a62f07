package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.engine.TargetWork;
import dev.strata.engine.Validation;
import dev.strata.report.ExitCodes;
import dev.strata.report.Json;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code strata validate}: the schema history against the files, and every applied verify step. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check applied migrations against their files (checksums), report failed and unknown "
                + "migrations, and re-run every applied migration's verify step in a read-only transaction. "
                + "Changes nothing; exit 1 when anything is off.")
public class ValidateCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;
    @Mixin
    CatalogOptions catalogOptions;
    @Mixin
    OutputOptions output;

    @Mixin
    FleetOptions fleet;
    @Inject
    Fleets fleets;

    @Inject
    CommandContext context;

    @Override
    public Integer call() {
        Catalog catalog = context.catalog(catalogOptions);
        if (fleet.given()) {
            return fleets.run(fleet, connection, catalog, java.util.Set.of(), TargetWork.validate(), output.json,
                    ExitCodes.OK);
        }
        Validation.ValidationReport report = context.withMigrator(connection, catalog,
                migrator -> new Validation(migrator).validate());
        if (output.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("valid", report.ok());
            json.put("verified", report.verified());
            json.put("pending", report.pending());
            json.put("problems", report.problems());
            Json.print(json);
        } else {
            report.problems().forEach(p -> Console.out().println("  " + p));
            Console.out().println(report.ok()
                    ? "Validated " + report.verified() + " applied migrations: checksums match and every verify step passes"
                      + (report.pending() > 0 ? " (" + report.pending() + " pending)." : ".")
                    : "Validation failed: " + report.problems().size() + " problem" + (report.problems().size() == 1 ? "" : "s")
                      + " (" + report.verified() + " applied migrations checked).");
        }
        return report.ok() ? ExitCodes.OK : ExitCodes.MIGRATION_FAILED;
    }
}
