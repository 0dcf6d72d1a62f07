package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.CatalogLoader;
import dev.strata.engine.Preflight;
import dev.strata.report.ExitCodes;
import dev.strata.report.FindingsReport;
import dev.strata.report.Json;
import dev.strata.sql.Finding;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata scan [PATH…]}: the SQL safety scanner, without a database. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Scan SQL files for unsafe statements (DROP SCHEMA/DATABASE, TRUNCATE, transaction control, "
                + "statements that cannot run in a transaction, lock-heavy DDL). Needs no database. "
                + "Exit 5 when any error is found.")
public class ScanCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = ".sql files, or migration locations (a directory is read as apply-all --location reads it: "
                    + "the same files, golang-migrate down files not scanned); default: the migration location.")
    List<Path> paths;

    @Mixin
    CatalogOptions catalogOptions;
    @Mixin
    ScanOptionsMixin scanOptions;
    @Mixin
    OutputOptions output;

    @Inject
    CommandContext context;

    @Override
    public Integer call() {
        List<Finding> findings;
        int files;
        if (paths == null || paths.isEmpty()) {
            Catalog catalog = scanOptions.allowing(context.catalog(catalogOptions));
            findings = Preflight.scan(catalog, scanOptions.promoted());
            files = catalog.size();
        } else {
            findings = new ArrayList<>();
            files = 0;
            List<String> problems = new ArrayList<>();
            for (Path path : paths) {
                try {
                    files += scanPath(path, findings);
                } catch (CatalogException e) {
                    problems.addAll(e.problems());
                }
            }
            if (!problems.isEmpty()) {
                throw new CatalogException(problems);
            }
        }
        if (output.json) {
            Json.print(FindingsReport.toJson(findings));
        } else {
            findings.forEach(f -> Console.out().println(f.format()));
            Console.out().println("Scan: " + FindingsReport.summary(findings, files) + ".");
        }
        return FindingsReport.errors(findings) > 0 ? ExitCodes.SAFETY_VIOLATION : ExitCodes.OK;
    }

    /** Scans one path into {@code findings}; returns how many files that was. */
    private int scanPath(Path path, List<Finding> findings) {
        if (Files.isDirectory(path)) {
            // The catalog's own discovery, so scan sees exactly what apply-all --location would run.
            Catalog catalog = scanOptions.allowing(CatalogLoader.fromLocations(List.of(path), catalogOptions.layout(),
                    catalogOptions.allowEmpty));
            findings.addAll(Preflight.scan(catalog, scanOptions.promoted()));
            return catalog.size();
        }
        findings.addAll(Preflight.scanPaths(List.of(path), scanOptions.promoted()));
        return 1;
    }
}
