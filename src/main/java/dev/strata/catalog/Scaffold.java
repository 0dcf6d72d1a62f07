package dev.strata.catalog;

import dev.strata.db.ConfigException;
import dev.strata.history.SqlResources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * Writes the next migration: {@code NNN_description.sql} with its header and, for the bundled set,
 * the class {@code MigrationNNN} whose {@code verify()} fails with "verify not written" until the
 * author writes it. Templates: {@code db/strata/templates/}.
 */
public final class Scaffold {

    /** Where bundled migrations live in a project, relative to its root. */
    public static final Path SQL_DIR = Path.of("src/main/resources/db/migrations");
    /** Where their classes live, relative to the project root. */
    public static final Path CLASS_DIR = Path.of("src/main/java/crm/migrations");

    private Scaffold() {
    }

    /**
     * The files written.
     *
     * @param sql      the SQL file
     * @param javaClass the class, or null for an SQL-only directory
     */
    public record Created(Path sql, Path javaClass) {
    }

    /**
     * Creates the next-numbered migration.
     *
     * @param sqlDir       the migration folder ({@link #SQL_DIR} of the project, or an SQL-only directory)
     * @param classDir     where to write the class, or null for SQL-only
     * @param description  human description; its slug becomes the file name
     * @param dependencies migration numbers it depends on; each must exist in {@code sqlDir}
     * @throws ConfigException when the folder is missing, the description has no letters or digits,
     *                         a dependency does not exist, or a file would be overwritten
     */
    public static Created create(Path sqlDir, Path classDir, String description, List<Long> dependencies) {
        if (!Files.isDirectory(sqlDir)) {
            throw new ConfigException(sqlDir + " does not exist; run strata create from the project root, "
                    + "or pass --location DIR for an SQL-only folder");
        }
        String slug = description.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (slug.isEmpty()) {
            throw new ConfigException("the description '" + description + "' has no letters or digits for a file name");
        }
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("_+$", "");
        }
        long next = 1;
        int digits = 3;
        java.util.Set<Long> existing = new java.util.HashSet<>();
        try (Stream<Path> files = Files.list(sqlDir)) {
            for (Path file : files.toList()) {
                Matcher m = CatalogLoader.NAME.matcher(file.getFileName().toString());
                if (m.matches() && !file.getFileName().toString().endsWith(".verify.sql")) {
                    long n = Long.parseLong(m.group(1));
                    existing.add(n);
                    next = Math.max(next, n + 1);
                    digits = Math.max(digits, m.group(1).length());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (long d : dependencies) {
            if (!existing.contains(d)) {
                throw new ConfigException("--depends-on " + d + ": no migration " + CatalogMigration.format(d)
                        + " in " + sqlDir);
            }
        }
        String number = String.format("%0" + digits + "d", next);
        String file = number + "_" + slug + ".sql";
        String deps = dependencies.isEmpty() ? "none"
                : String.join(", ", dependencies.stream().sorted().map(String::valueOf).toList());
        Map<String, String> values = Map.of(
                "number", number, "numberValue", String.valueOf(next), "file", file,
                "description", description.strip(),
                "descriptionJava", description.strip().replace("\\", "\\\\").replace("\"", "\\\""),
                "dependencies", deps,
                "dependencyValues", String.join(", ", dependencies.stream().sorted().map(String::valueOf).toList()));
        Path sql = write(sqlDir.resolve(file), fill(SqlResources.get("templates/migration.sql.tmpl"), values));
        Path javaClass = null;
        if (classDir != null) {
            javaClass = write(classDir.resolve("Migration" + number + ".java"),
                    fill(SqlResources.get("templates/Migration.java.tmpl"), values));
        }
        return new Created(sql, javaClass);
    }

    private static String fill(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue());
        }
        return out;
    }

    private static Path write(Path path, String content) {
        try {
            Files.createDirectories(path.getParent());
            return Files.writeString(path, content, java.nio.file.StandardOpenOption.CREATE_NEW);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new ConfigException(path + " exists already; nothing was written");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
