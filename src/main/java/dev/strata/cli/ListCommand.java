package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogMigration;
import dev.strata.engine.StatusReport;
import dev.strata.engine.TargetWork;
import dev.strata.report.ExitCodes;
import dev.strata.report.Json;
import dev.strata.report.JsonShapes;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code strata list}: every migration with its dependencies and state. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List every migration in plan order: number, name, dependencies, state.")
public class ListCommand implements Callable<Integer> {

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
            return fleets.run(fleet, connection, catalog, java.util.Set.of(), TargetWork.status(), output.json,
                    ExitCodes.OK);
        }
        StatusReport report = context.withMigrator(connection, catalog, migrator -> migrator.status());
        if (output.json) {
            Json.print(java.util.Map.of("migrations", report.entries().stream().map(JsonShapes::entry).toList(),
                    "layout", catalog.layout()));
            return ExitCodes.OK;
        }
        int width = Math.max(4, report.entries().stream().mapToInt(e -> e.name().length()).max().orElse(4));
        String format = "%-8s %-" + width + "s  %-14s %s%n";
        Console.out().printf(format, "NUMBER", "NAME", "DEPENDS ON", "STATE");
        for (StatusReport.Entry e : report.entries()) {
            String deps = e.migration().map(m -> m.dependencies().isEmpty() ? "-"
                    : String.join(",", m.dependencies().stream().map(CatalogMigration::format).toList())).orElse("?");
            Console.out().printf(format, CatalogMigration.format(e.number()), e.name(), deps, e.state().label());
        }
        Console.out().println(report.entries().size() + " migrations: " + report.appliedCount() + " applied, "
                + report.count(dev.strata.engine.MigrationState.PENDING) + " pending.");
        Console.out().println("Layout: " + catalog.layout() + " (" + catalog.location() + ")");
        return ExitCodes.OK;
    }
}
