package dev.strata.cli;

import dev.strata.config.Database;
import dev.strata.migration.Catalog;
import dev.strata.migration.MigrationState;
import dev.strata.migration.StatusReport;
import dev.strata.migration.TargetWork;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code strata status}: counts of applied, pending, changed and failed migrations. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show how many migrations are applied, pending, changed or failed.")
public class StatusCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;
    @Mixin
    CatalogOptions catalogOptions;

    @Option(names = "--exit-code", description = "Exit with 3 when any migration is pending.")
    boolean exitCode;

    @Mixin
    OutputOptions output;

    @Mixin
    FleetOptions fleet;
    @Inject
    Fleets fleets;

    @Inject
    Engine engine;

    @Override
    public Integer call() {
        Catalog catalog = engine.catalog(catalogOptions);
        if (fleet.given()) {
            return fleets.run(fleet, connection, catalog, java.util.Set.of(), TargetWork.status(), output.json,
                    exitCode ? ExitCodes.PENDING : ExitCodes.OK);
        }
        StatusReport report = engine.withMigrator(connection, catalog, migrator -> migrator.status());
        int pendingCount = report.count(MigrationState.PENDING);
        int code = exitCode && pendingCount > 0 ? ExitCodes.PENDING : ExitCodes.OK;
        if (output.json) {
            Json.print(JsonShapes.status(report, catalog));
            return code;
        }
        var out = Console.out();
        out.println("Database: " + report.database());
        out.println("Catalog:  " + catalog.location() + " (" + catalog.size() + " migrations)");
        out.println("Applied:  " + report.appliedCount());
        out.println("Pending:  " + report.count(MigrationState.PENDING));
        out.println("Changed:  " + report.count(MigrationState.CHANGED));
        out.println("Failed:   " + report.count(MigrationState.FAILED));
        out.println("Unknown:  " + report.count(MigrationState.UNKNOWN));
        report.lastApplied().ifPresent(last -> out.println("Last applied: " + last.name() + " at " + last.executedAt()));
        for (MigrationState state : new MigrationState[] {MigrationState.PENDING, MigrationState.CHANGED,
                MigrationState.FAILED, MigrationState.UNKNOWN}) {
            for (StatusReport.Entry e : report.in(state)) {
                out.println("  [" + state.label() + "] " + e.name());
            }
        }
        int pending = report.count(MigrationState.PENDING);
        int problems = report.count(MigrationState.CHANGED) + report.count(MigrationState.FAILED)
                + report.count(MigrationState.UNKNOWN);
        if (problems > 0) {
            out.println("Schema history needs attention: " + problems + " changed, failed or unknown migration"
                    + (problems == 1 ? "" : "s") + " (see strata info N).");
        } else if (pending > 0) {
            out.println(pending + " migration" + (pending == 1 ? " is" : "s are") + " pending; run: strata apply-all");
        } else {
            out.println("Schema is up to date.");
        }
        return exitCode && pending > 0 ? ExitCodes.PENDING : ExitCodes.OK;
    }
}
