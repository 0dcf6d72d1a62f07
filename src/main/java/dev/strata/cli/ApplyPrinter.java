package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogMigration;
import dev.strata.engine.ApplyResult;
import dev.strata.engine.ProgressListener;
import dev.strata.report.Json;
import dev.strata.report.JsonShapes;

/**
 * Prints an apply run: one line per migration as it commits (name, SQL and verify time), notes on
 * stderr, and the summary line last. Colour only on a terminal, never with {@code NO_COLOR}
 * ({@link Console#ansi()}).
 */
final class ApplyPrinter implements ProgressListener {

    private final boolean json;
    private final int width;
    private final String single;

    /** A printer for {@code apply-all}. */
    ApplyPrinter(Catalog catalog, boolean json) {
        this(catalog, json, null);
    }

    /** A printer for {@code apply N}: {@code single} names migration N. */
    ApplyPrinter(Catalog catalog, boolean json, String single) {
        this.json = json;
        this.single = single;
        this.width = catalog.migrations().stream().mapToInt(m -> m.name().length()).max().orElse(20) + 4;
    }

    @Override
    public void applied(ApplyResult.Step step) {
        if (json) {
            return;
        }
        Console.out().println("  " + Console.dots(step.migration().name(), width) + " "
                + Console.ansi().string("@|green applied|@") + " in " + Console.duration(step.sqlMs())
                + " (verify " + Console.duration(step.verifyMs()) + ")");
        Console.out().flush();
    }

    @Override
    public void note(String message) {
        Console.err().println("strata: " + message);
    }

    /** Prints the result: JSON, or the plan (dry run) or the summary line. */
    void finish(ApplyResult result, String url) {
        if (json) {
            Json.print(JsonShapes.apply(result, url));
            return;
        }
        if (result.dryRun()) {
            if (result.pendingPlan().isEmpty()) {
                Console.out().println("Dry run: schema is up to date on " + url + ", nothing would be applied.");
                return;
            }
            Console.out().println("Dry run: would apply " + result.pendingPlan().size() + " migration"
                    + (result.pendingPlan().size() == 1 ? "" : "s") + " to " + url + ", in this order:");
            for (CatalogMigration m : result.pendingPlan()) {
                Console.out().println("  " + m.name() + (m.dependencies().isEmpty() ? ""
                        : "  (after " + String.join(", ", m.dependencies().stream().map(CatalogMigration::format).toList()) + ")")
                        + (m.transactional() ? "" : "  [non-transactional]"));
            }
            Console.out().println("Dry run: nothing was changed.");
            return;
        }
        if (result.applied().isEmpty()) {
            Console.out().println(single == null ? "Schema is up to date on " + url + ". No migration necessary."
                    : single + " and its dependencies are already applied on " + url + ". No migration necessary.");
            return;
        }
        int n = result.applied().size();
        Console.out().println("Successfully applied " + n + " migration" + (n == 1 ? "" : "s") + " to " + url
                + ", now at " + result.last().orElseThrow().name() + " (" + Console.duration(result.totalMs()) + ")");
    }
}
