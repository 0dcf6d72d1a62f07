package dev.strata.cli;

import dev.strata.migration.Catalog;
import dev.strata.migration.SafetyCheck;
import dev.strata.sql.Finding;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata scan [PATH…]}: the SQL safety scanner, without a database. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Scan SQL files for unsafe statements (DROP SCHEMA/DATABASE, TRUNCATE, transaction control, "
                + "statements that cannot run in a transaction, lock-heavy DDL). Needs no database. "
                + "Exit 5 when any error is found.")
public class ScanCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = ".sql files or directories (searched recursively); default: the migration location.")
    List<Path> paths;

    @Mixin
    CatalogOptions catalogOptions;
    @Mixin
    ScanOptionsMixin scanOptions;
    @Mixin
    OutputOptions output;

    @Inject
    Engine engine;

    @Override
    public Integer call() {
        List<Finding> findings;
        int files;
        if (paths == null || paths.isEmpty()) {
            Catalog catalog = engine.catalog(catalogOptions);
            findings = SafetyCheck.scan(catalog, scanOptions.promoted());
            files = catalog.size();
        } else {
            findings = SafetyCheck.scanPaths(paths, scanOptions.promoted());
            files = (int) findings.stream().map(Finding::file).distinct().count();
            files = Math.max(files, countFiles(paths));
        }
        if (output.json) {
            Json.print(Findings.toJson(findings));
        } else {
            findings.forEach(f -> Console.out().println(f.format()));
            Console.out().println("Scan: " + Findings.summary(findings, files) + ".");
        }
        return Findings.errors(findings) > 0 ? ExitCodes.SAFETY_VIOLATION : ExitCodes.OK;
    }

    private static int countFiles(List<Path> paths) {
        int count = 0;
        for (Path path : paths) {
            try (var walk = java.nio.file.Files.walk(path)) {
                count += (int) walk.filter(p -> p.toString().endsWith(".sql") && java.nio.file.Files.isRegularFile(p)).count();
            } catch (java.io.IOException e) {
                // reported by the scan itself
            }
        }
        return count;
    }
}
