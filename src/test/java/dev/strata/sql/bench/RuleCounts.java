package dev.strata.sql.bench;

import dev.strata.catalog.CatalogException;
import dev.strata.engine.Preflight;
import dev.strata.sql.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Counts scanner findings per rule id over folders, to compare the scanner's noise before and
 * after a rule change. Usage: {@code RuleCounts DIR…}; a folder that is a Strata catalog is
 * scanned as {@code strata scan DIR} would, any other folder file by file (as {@code strata scan
 * FILE} file by file; a file Strata cannot read (not UTF-8) is skipped with a note on stderr.
 */
public final class RuleCounts {

    private RuleCounts() {
    }

    /** Prints one line per folder and rule: {@code folder rule count}, then the totals. */
    public static void main(String[] args) throws IOException {
        Map<String, Integer> total = new TreeMap<>();
        for (String arg : args) {
            Path dir = Path.of(arg);
            List<Finding> findings;
            try {
                findings = Preflight.scanPaths(List.of(dir), Set.of());
            } catch (CatalogException notACatalog) {
                try (Stream<Path> files = Files.list(dir)) {
                    findings = files.filter(p -> p.toString().endsWith(".sql")).sorted()
                            .flatMap(RuleCounts::scanFile).toList();
                }
            }
            Map<String, Integer> counts = new TreeMap<>();
            findings.forEach(f -> counts.merge(f.ruleId(), 1, Integer::sum));
            counts.forEach((rule, n) -> System.out.printf("%-40s %-30s %6d%n", dir.getFileName(), rule, n));
            counts.forEach((rule, n) -> total.merge(rule, n, Integer::sum));
        }
        total.forEach((rule, n) -> System.out.printf("%-40s %-30s %6d%n", "TOTAL", rule, n));
    }

    private static Stream<Finding> scanFile(Path file) {
        try {
            return Preflight.scanPaths(List.of(file), Set.of()).stream();
        } catch (CatalogException e) {
            System.err.println("skipped: " + String.join("; ", e.problems()));
            return Stream.empty();
        }
    }
}
