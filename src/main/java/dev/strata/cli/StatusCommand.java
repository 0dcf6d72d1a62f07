package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.db.ConnectionPool;
import dev.strata.engine.MigrationState;
import dev.strata.engine.StatusReport;
import dev.strata.engine.TargetWork;
import dev.strata.report.ExitCodes;
import dev.strata.report.Json;
import dev.strata.report.JsonShapes;
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

    @Option(names = "--exit-code", description = "Exit with 0 when up to date, 3 when migrations are pending, "
            + "1 when any is changed, failed or unknown.")
    boolean exitCode;

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
            return fleets.run(fleet, connection, catalog, java.util.Set.of(), TargetWork.status(), output.json,
                    exitCode ? ExitCodes.PENDING : ExitCodes.OK);
        }
        StatusReport report = context.withMigrator(connection, catalog, migrator -> migrator.status());
        int code = exitCode ? exitCodeOf(report) : ExitCodes.OK;
        if (output.json) {
            Json.print(JsonShapes.status(report, catalog));
            return code;
        }
        var out = Console.out();
        out.println("Database: " + report.database());
        out.println("Catalog:  " + catalog.location() + " (" + catalog.size() + (catalog.size() == 1 ? " migration)" : " migrations)"));
        out.println("Applied:  " + report.appliedCount());
        out.println("Pending:  " + report.count(MigrationState.PENDING));
        out.println("Changed:  " + report.count(MigrationState.CHANGED));
        out.println("Failed:   " + report.count(MigrationState.FAILED));
        out.println("Unknown:  " + report.count(MigrationState.UNKNOWN));
        report.lastApplied().ifPresent(last -> out.println("Last applied: " + last.name() + " at " + last.executedAt()));
        if (!dev.strata.history.HistoryTable.DEFAULT.equals(report.historyTable())) {
            out.println("History table: " + report.historyTable());
        }
        report.adoptions().forEach(a -> out.println("Adopted:  " + a.count() + " migration" + (a.count() == 1 ? "" : "s")
                + " from " + a.tool() + " (" + a.table() + ") at " + a.at()));
        for (MigrationState state : new MigrationState[] {MigrationState.PENDING, MigrationState.CHANGED,
                MigrationState.FAILED, MigrationState.UNKNOWN}) {
            for (StatusReport.Entry e : report.in(state)) {
                out.println("  [" + state.label() + "] " + e.name());
            }
        }
        int pending = report.count(MigrationState.PENDING);
        int problems = report.problemCount();
        if (report.verdict() == StatusReport.Verdict.CONFLICT) {
            out.println("Schema history needs attention: " + problems + " changed, failed or unknown migration"
                    + (problems == 1 ? "" : "s") + " (see strata info N).");
        } else if (pending > 0) {
            out.println(pending + " migration" + (pending == 1 ? " is" : "s are") + " pending; run: strata apply-all");
        } else {
            out.println("Schema is up to date.");
        }
        return code;
    }

    /**
     * The {@code --exit-code} verdict: a history that disagrees with the files (changed, failed or
     * unknown) is 1, as {@code apply-all} would refuse it; otherwise 3 while migrations are pending.
     */
    static int exitCodeOf(StatusReport report) {
        return switch (report.verdict()) {
            case CONFLICT -> ExitCodes.MIGRATION_FAILED;
            case PENDING -> ExitCodes.PENDING;
            case UP_TO_DATE -> ExitCodes.OK;
        };
    }
}
