package dev.strata.engine;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.CatalogLoader;
import dev.strata.catalog.CatalogMigration;
import dev.strata.catalog.SourceFile;
import dev.strata.catalog.SourceText;
import dev.strata.catalog.SqlFileHeader;
import dev.strata.catalog.SqlFileSections;
import dev.strata.sql.ColumnTypes;
import dev.strata.sql.Finding;
import dev.strata.sql.Rule;
import dev.strata.sql.SafetyScanner;
import dev.strata.sql.ScanOptions;
import dev.strata.sql.Severity;
import dev.strata.sql.SqlScript;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs the SQL safety scanner over migrations, with each migration's own options: whether it is
 * transactional and which rules it is allowed to break (with a reason).
 */
public final class Preflight {

    private Preflight() {
    }

    /** The origin of a migration without a Java class (see CatalogLoader). */
    private static final String SQL_ONLY = "SQL file header";

    /**
     * A finding whose hint speaks of the migration class, reworded for a file without one: its
     * metadata lives in header comments (see {@link SqlFileHeader}).
     */
    static Finding forSqlFile(Finding f) {
        if (f.hint() == null) {
            return f;
        }
        String hint = f.hint()
                .replace("with transactional() == false", "with a -- Transactional: false header line")
                .replace("declare an allowance for truncate with a reason in the migration class",
                        "add a header line -- Allow: truncate <reason>");
        return hint.equals(f.hint()) ? f
                : new Finding(f.file(), f.line(), f.column(), f.severity(), f.ruleId(), f.message(), hint);
    }

    /**
     * Scans every migration of a catalog (the part that would run: a dbmate/goose down section is
     * not scanned, since it never runs).
     *
     * @param promoted rule ids reported as errors instead of warnings
     * @return findings in catalog plan order, then line:column
     */
    public static List<Finding> scan(Catalog catalog, Set<String> promoted) {
        return scan(catalog, promoted, new java.util.concurrent.ConcurrentHashMap<>());
    }

    /**
     * Scans every migration, parsing in parallel on the common fork-join pool, and keeps each
     * parsed script in {@code scripts} (by migration number) for the runner. The rules run in plan
     * order so a column type change is compared with the type an earlier migration declared.
     *
     * @throws CatalogException (exit 2) when an allowance names an unknown or unallowable rule
     * @return findings in catalog plan order, then line:column
     */
    public static List<Finding> scan(Catalog catalog, Set<String> promoted, java.util.Map<Long, SqlScript> scripts) {
        List<String> problems = new ArrayList<>();
        catalog.migrations().forEach(m -> checkAllowances(m.file() + " (" + m.origin() + ")", m.allowances(), problems));
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        SafetyScanner scanner = new SafetyScanner();
        List<SqlScript> parsed = catalog.migrations().parallelStream().map(m -> {
            SqlScript script = SqlScript.parse(m.file(), m.executableSql());
            scripts.put(m.number(), script);
            return script;
        }).toList();
        ColumnTypes known = new ColumnTypes();
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            CatalogMigration m = catalog.migrations().get(i);
            List<Finding> found = scanner.scan(parsed.get(i), new ScanOptions(m.transactional(), m.allowances(), promoted),
                    known);
            findings.addAll(withoutClass(m) ? found.stream().map(Preflight::forSqlFile).toList() : found);
        }
        return findings;
    }

    /** A SQL-only migration or another tool's file ({@code "flyway file"}, …): its metadata is in header comments. */
    private static boolean withoutClass(CatalogMigration m) {
        return SQL_ONLY.equals(m.origin()) || m.origin().endsWith(" file");
    }

    /** Adds a problem for each allowance that names no rule or an unallowable one (exit 2). */
    private static void checkAllowances(String where, java.util.Map<String, String> allowances, List<String> problems) {
        allowances.keySet().stream().sorted().map(Rule::allowanceProblem).filter(java.util.Objects::nonNull)
                .forEach(p -> problems.add(where + ": allowance of " + p));
    }

    /**
     * Refuses a catalog whose scan has an error.
     *
     * @param scripts receives each parsed script, by migration number
     * @throws SafetyViolationException listing all findings when any is an error
     * @return the findings (warnings only) otherwise
     */
    public static List<Finding> refuseErrors(Catalog catalog, Set<String> promoted, java.util.Map<Long, SqlScript> scripts) {
        List<Finding> findings = scan(catalog, promoted, scripts);
        if (findings.stream().anyMatch(f -> f.severity() == Severity.ERROR)) {
            throw new SafetyViolationException(findings);
        }
        return findings;
    }

    /**
     * Scans {@code .sql} files, whether or not they are named like migrations, and directories as
     * migration locations: exactly the files {@code apply-all --location DIR} would run, found by
     * {@link CatalogLoader#fromDirectory(Path)} (so a golang-migrate down file is not scanned).
     * Header comments ({@code -- Transactional: false}, {@code -- Allow: rule reason}) are honoured
     * as in SQL-only migrations; a file without {@code -- Transactional: false} is scanned as
     * transactional (Strata's default). Files are scanned in the order given, so a type change is
     * compared with a column type declared in an earlier file.
     *
     * @throws CatalogException when a path does not exist, a directory is not a valid catalog, a
     *                          file cannot be read or decoded, or an allowance names an unknown or
     *                          unallowable rule
     */
    public static List<Finding> scanPaths(List<Path> paths, Set<String> promoted) {
        List<Path> files = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try {
                    findings.addAll(scan(CatalogLoader.fromDirectory(path), promoted));
                } catch (CatalogException e) {
                    problems.addAll(e.problems());
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                problems.add(path + ": does not exist; pass .sql files or directories");
            }
        }
        SafetyScanner scanner = new SafetyScanner();
        ColumnTypes known = new ColumnTypes();
        for (Path file : files) {
            String sql;
            try {
                sql = SourceText.decode(new SourceFile(file.getFileName().toString(), file.toString(),
                        Files.readAllBytes(file), null), problems);
            } catch (IOException e) {
                problems.add(file + ": cannot be read (" + e.getMessage() + ")");
                continue;
            }
            if (sql == null) {
                continue;
            }
            List<String> headerProblems = new ArrayList<>();
            SqlFileHeader header = SqlFileHeader.parse(file.toString(), sql, headerProblems);
            problems.addAll(headerProblems);
            boolean transactional = header == null || header.transactional();
            java.util.Map<String, String> allowances = header == null ? java.util.Map.of() : header.allowances();
            checkAllowances(file.toString(), allowances, problems);
            scanner.scan(SqlScript.parse(file.toString(), SqlFileSections.executablePart(sql)),
                    new ScanOptions(transactional, allowances, promoted), known).stream().map(Preflight::forSqlFile)
                    .forEach(findings::add);
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return findings;
    }
}
