package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.db.ConnectionPool;
import dev.strata.engine.ApplyOptions;
import dev.strata.engine.ApplyResult;
import dev.strata.report.ExitCodes;
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
    ApplyOptionsMixin run;
    @Mixin
    ScanOptionsMixin scanOptions;
    @Mixin
    OutputOptions output;

    @Inject
    CommandContext context;

    @Override
    public Integer call() {
        Catalog catalog = scanOptions.allowing(context.catalog(catalogOptions));
        ApplyOptions options = new ApplyOptions(dryRun, null, Duration.ofMillis(run.lockWaitMs), run.lockTimeoutMs,
                run.statementTimeoutMs, run.lockRetries);
        try (ConnectionPool database = context.database(connection)) {
            ApplyPrinter printer = new ApplyPrinter(catalog, output.json,
                    catalog.find(number).map(m -> m.name()).orElse(null));
            ApplyResult result = context.migrator(catalog, database, scanOptions.promoted())
                    .applyOne(number, withDependencies, options, printer).await().indefinitely();
            printer.finish(result, database.settings().redacted());
        }
        return ExitCodes.OK;
    }
}
