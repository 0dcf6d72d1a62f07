package dev.strata.cli;

import dev.strata.config.Database;
import dev.strata.migration.ApplyOptions;
import dev.strata.migration.ApplyResult;
import dev.strata.migration.Catalog;
import dev.strata.migration.CatalogMigration;
import dev.strata.migration.ProgressListener;
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
    RunOptions run;
    @Mixin
    ScanOptionsMixin scanOptions;
    @Mixin
    OutputOptions output;

    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;

    @Option(names = "--target", paramLabel = "N",
            description = "Apply only migrations numbered up to N (and what they depend on).")
    Long target;

    @Inject
    Engine engine;

    @Override
    public Integer call() {
        Catalog catalog = engine.catalog(catalogOptions);
        ApplyOptions options = new ApplyOptions(dryRun, target, Duration.ofMillis(run.lockWaitMs), run.lockTimeoutMs,
                run.statementTimeoutMs, run.lockRetries);
        try (Database database = engine.database(connection)) {
            int width = catalog.migrations().stream().mapToInt(m -> m.name().length()).max().orElse(20) + 4;
            ApplyResult result = engine.migrator(catalog, database, scanOptions.promoted()).applyAll(options, new ProgressListener() {
                @Override
                public void applied(ApplyResult.Step step) {
                    if (output.json) {
                        return;
                    }
                    Console.out().println("  " + Console.dots(step.migration().name(), width) + " applied in "
                            + Console.duration(step.sqlMs()) + " (verify " + Console.duration(step.verifyMs()) + ")");
                    Console.out().flush();
                }

                @Override
                public void starting(CatalogMigration migration) {
                }

                @Override
                public void note(String message) {
                    Console.err().println("strata: " + message);
                }
            }).await().indefinitely();
            if (output.json) {
                Json.print(JsonShapes.apply(result, database.settings().redacted()));
            } else {
                printSummary(result, database.settings().redacted());
            }
        }
        return ExitCodes.OK;
    }

    private void printSummary(ApplyResult result, String url) {
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
            Console.out().println("Schema is up to date on " + url + ". No migration necessary.");
            return;
        }
        int n = result.applied().size();
        Console.out().println("Successfully applied " + n + " migration" + (n == 1 ? "" : "s") + " to " + url
                + ", now at " + result.last().orElseThrow().name() + " (" + Console.duration(result.totalMs()) + ")");
    }
}
