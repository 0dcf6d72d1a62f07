package dev.strata.cli;

import dev.strata.config.Database;
import dev.strata.migration.ApplyOptions;
import dev.strata.migration.ApplyResult;
import dev.strata.migration.Catalog;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code strata apply N}: apply one migration (and, if asked, what it depends on). */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Apply one migration. Refuses while a dependency is not applied, unless --with-dependencies.")
public class ApplyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "N", description = "Migration number.")
    long number;

    @Option(names = "--with-dependencies", description = "Apply its pending dependencies first, in plan order.")
    boolean withDependencies;

    @Option(names = "--dry-run", description = "Print what would be applied and change nothing.")
    boolean dryRun;

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

    @Inject
    Engine engine;

    @Override
    public Integer call() {
        Catalog catalog = scanOptions.allowing(engine.catalog(catalogOptions));
        ApplyOptions options = new ApplyOptions(dryRun, null, Duration.ofMillis(run.lockWaitMs), run.lockTimeoutMs,
                run.statementTimeoutMs, run.lockRetries);
        try (Database database = engine.database(connection)) {
            ApplyPrinter printer = new ApplyPrinter(catalog, output.json,
                    catalog.find(number).map(m -> m.name()).orElse(null));
            ApplyResult result = engine.migrator(catalog, database, scanOptions.promoted())
                    .applyOne(number, withDependencies, options, printer).await().indefinitely();
            printer.finish(result, database.settings().redacted());
        }
        return ExitCodes.OK;
    }
}
