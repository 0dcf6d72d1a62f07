package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogMigration;
import dev.strata.db.ConfigException;
import dev.strata.engine.StatusReport;
import dev.strata.history.AppliedMigration;
import dev.strata.report.ExitCodes;
import dev.strata.report.Json;
import dev.strata.report.JsonShapes;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata info N}: everything about one migration. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show one migration: file, class, description, dependencies and dependents, "
        + "checksum on disk and recorded, when it was applied and how long it took.")
public class InfoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "N", description = "Migration number, e.g. 12 or 012.")
    long number;

    @Mixin
    ConnectionOptions connection;
    @Mixin
    CatalogOptions catalogOptions;
    @Mixin
    OutputOptions output;

    @Inject
    CommandContext context;

    @Override
    public Integer call() {
        Catalog catalog = context.catalog(catalogOptions);
        StatusReport report = context.withMigrator(connection, catalog, migrator -> migrator.status());
        StatusReport.Entry entry = report.find(number).orElseThrow(() -> new ConfigException(
                "no migration " + CatalogMigration.format(number) + " in " + catalog.location()
                        + " or the schema history; run strata list to see the numbers"));
        if (output.json) {
            Json.print(json(catalog, entry));
            return ExitCodes.OK;
        }
        var out = Console.out();
        out.println("Migration " + CatalogMigration.format(entry.number()) + ": " + entry.name());
        entry.migration().ifPresent(m -> {
            out.println("  file:          " + m.file() + " (" + m.sizeBytes() + " bytes)");
            out.println("  defined by:    " + m.origin());
            out.println("  layout:        " + catalog.layout());
            out.println("  description:   " + m.description());
            out.println("  depends on:    " + names(catalog, m.dependencies()));
            out.println("  dependents:    " + names(catalog, catalog.dependents(m.number())));
            out.println("  transactional: " + (m.transactional() ? "yes" : "no (runs statement by statement)"));
            out.println("  verify:        " + m.verifier().source());
            out.println("  checksum:      " + m.checksum() + " (file)");
        });
        if (entry.migration().isEmpty()) {
            out.println("  file:          (not in " + catalog.location() + ")");
        }
        out.println("  state:         " + entry.state().label());
        if (entry.applied().isPresent()) {
            AppliedMigration row = entry.applied().get();
            String match = entry.migration().map(m -> m.checksum().equalsIgnoreCase(row.checksum())
                    ? " (matches the file)" : " (DIFFERS from the file)").orElse("");
            out.println("  recorded:      " + row.checksum() + match);
            if (row.success()) {
                out.println("  applied at:    " + row.executedAt() + " by " + row.installedBy() + " (" + row.kind() + ")");
            } else {
                // A failed non-transactional run leaves its row; it records an attempt, not an apply.
                out.println("  attempted at:  " + row.executedAt() + " by " + row.installedBy()
                        + " (failed part-way, not applied; see strata repair " + entry.number() + ")");
            }
            out.println("  execution:     " + (row.executionTimeMs() == null ? "-" : row.executionTimeMs() + " ms"));
            if (row.error() != null) {
                out.println("  error:         " + row.error());
            }
        } else {
            out.println("  applied at:    not applied");
        }
        return ExitCodes.OK;
    }

    private static java.util.Map<String, Object> json(Catalog catalog, StatusReport.Entry entry) {
        java.util.Map<String, Object> json = JsonShapes.entry(entry);
        entry.migration().ifPresent(m -> {
            json.put("origin", m.origin());
            json.put("layout", catalog.layout());
            json.put("description", m.description());
            json.put("dependents", catalog.dependents(m.number()));
            json.put("transactional", m.transactional());
            json.put("verify", m.verifier().source());
            json.put("sizeBytes", m.sizeBytes());
        });
        json.put("recordedChecksum", entry.applied().map(AppliedMigration::checksum).orElse(null));
        json.put("installedBy", entry.applied().map(AppliedMigration::installedBy).orElse(null));
        json.put("kind", entry.applied().map(AppliedMigration::kind).orElse(null));
        json.put("executionTimeMs", entry.applied().map(AppliedMigration::executionTimeMs).orElse(null));
        json.put("error", entry.applied().map(AppliedMigration::error).orElse(null));
        return json;
    }

    private static String names(Catalog catalog, List<Long> numbers) {
        if (numbers.isEmpty()) {
            return "none";
        }
        return String.join(", ", numbers.stream()
                .map(n -> catalog.find(n).map(CatalogMigration::name).orElse(CatalogMigration.format(n))).toList());
    }
}
