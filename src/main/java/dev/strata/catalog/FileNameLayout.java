package dev.strata.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layouts of tools that put the version in the file or folder name: Flyway, golang-migrate,
 * dbmate, goose, sqlx, postgres-migrations (files) and Prisma, Diesel (one folder per migration).
 * Each is a name pattern whose first group is the version and second the description, plus the
 * names of the parts the tool never runs forward (down, undo) and where it keeps a
 * "no transaction" switch outside the SQL.
 */
final class FileNameLayout implements ToolLayout {

    /** Where a layout's name pattern applies. */
    private enum Scope {
        /** Files directly in the location. */
        FLAT,
        /** Files anywhere below the location (Flyway scans recursively). */
        RECURSIVE,
        /** {@code <folder>/<fixed file name>}, one folder per migration. */
        FOLDER
    }

    /** Flyway: {@code V1.2__add_users.sql} (Flyway docs, "Migrations", Naming); undo {@code U…} never runs, {@code R__} is refused. */
    static final FileNameLayout FLYWAY = new FileNameLayout("flyway", Scope.RECURSIVE,
            Pattern.compile("V(\\d+(?:[._]\\d+)*)__(.+)\\.sql"), Pattern.compile("U\\d+(?:[._]\\d+)*__.*\\.sql"),
            "V<version>__<description>.sql, e.g. V1.2__add_users.sql");

    /** golang-migrate: {@code 1_init.up.sql} with its never-run {@code 1_init.down.sql}. */
    static final FileNameLayout GOLANG_MIGRATE = new FileNameLayout("golang-migrate", Scope.FLAT,
            Pattern.compile("(\\d+)_(.+)\\.up\\.sql"), Pattern.compile("\\d+_.+\\.down\\.sql"),
            "<version>_<title>.up.sql (and .down.sql), e.g. 1_init.up.sql");

    /** dbmate: {@code 20151127184807_create_users.sql}, {@code -- migrate:up} / {@code -- migrate:down} inside. */
    static final FileNameLayout DBMATE = new FileNameLayout("dbmate", Scope.FLAT,
            Pattern.compile("(\\d+)_(.+)\\.sql"), null, "<version>_<name>.sql, e.g. 20151127184807_create_users.sql");

    /** goose: {@code 00001_init.sql}, {@code -- +goose Up} / {@code -- +goose Down} inside. */
    static final FileNameLayout GOOSE = new FileNameLayout("goose", Scope.FLAT,
            Pattern.compile("(\\d+)_(.+)\\.sql"), null, "<version>_<name>.sql, e.g. 00001_init.sql");

    /** sqlx: {@code 20210101000000_init.sql}, or reversible {@code .up.sql} with a never-run {@code .down.sql}. */
    static final FileNameLayout SQLX = new FileNameLayout("sqlx", Scope.FLAT,
            Pattern.compile("(\\d+)_(.+?)(?:\\.up)?\\.sql"), Pattern.compile("\\d+_.+\\.down\\.sql"),
            "<version>_<description>.sql (or .up.sql/.down.sql), e.g. 20210101000000_init.sql");

    /** postgres-migrations: {@code 1_init.sql} or {@code 0001-initial.sql}. */
    static final FileNameLayout POSTGRES_MIGRATIONS = new FileNameLayout("postgres-migrations", Scope.FLAT,
            Pattern.compile("(\\d+)[-_](.+)\\.sql"), null, "<id>-<name>.sql or <id>_<name>.sql, e.g. 0001-initial.sql");

    /** Prisma: {@code 20210101000000_init/migration.sql}. */
    static final FileNameLayout PRISMA = new FileNameLayout("prisma", Scope.FOLDER,
            Pattern.compile("(\\d+)_(.+)/migration\\.sql"), null,
            "<timestamp>_<name>/migration.sql, e.g. 20210101000000_init/migration.sql");

    /** Diesel: {@code 2017-12-30-120000_create_users/up.sql}, {@code down.sql} never runs. */
    static final FileNameLayout DIESEL = new FileNameLayout("diesel", Scope.FOLDER,
            Pattern.compile("(\\d[\\d-]*)_(.+)/up\\.sql"), Pattern.compile("\\d[\\d-]*_.+/down\\.sql"),
            "<version>_<name>/up.sql (and down.sql), e.g. 2017-12-30-120000_create_users/up.sql");

    private static final Pattern FLYWAY_REPEATABLE = Pattern.compile("R__.*\\.sql");

    private final String name;
    private final Scope scope;
    private final Pattern migration;
    private final Pattern neverRun;
    private final String expected;

    private FileNameLayout(String name, Scope scope, Pattern migration, Pattern neverRun, String expected) {
        this.name = name;
        this.scope = scope;
        this.migration = migration;
        this.neverRun = neverRun;
        this.expected = expected;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Role classify(String relative) {
        int depth = (int) relative.chars().filter(c -> c == '/').count();
        if (scope == Scope.FLAT && depth > 0 || scope == Scope.FOLDER && depth != 1) {
            return Role.UNKNOWN;
        }
        String matched = scope == Scope.FOLDER ? relative : fileName(relative);
        if (neverRun != null && neverRun.matcher(matched).matches()) {
            return Role.NEVER_RUN;
        }
        return Role.MIGRATION;
    }

    @Override
    public Named name(String relative) {
        String matched = scope == Scope.FOLDER ? relative : fileName(relative);
        if (this == FLYWAY && FLYWAY_REPEATABLE.matcher(matched).matches()) {
            return Named.problem("Flyway repeatable migration, which Strata does not support (it runs files "
                    + "once, in version order); turn it into a versioned V<version>__ file or move it out of the location");
        }
        Matcher m = migration.matcher(matched);
        if (!m.matches()) {
            return Named.problem("not a " + name + " migration name; expected " + expected);
        }
        String stem = scope == Scope.FOLDER ? relative.substring(0, relative.indexOf('/')) : stem(matched);
        MigrationVersion version = MigrationVersion.parse(m.group(1).replace("-", ""));
        return new Named(version, stem, m.group(2).replace('_', ' '), null);
    }

    @Override
    public Boolean sidecarTransactional(Path file, List<String> problems) {
        if (this == FLYWAY) {
            return setting(file.resolveSibling(file.getFileName() + ".conf"), "executeInTransaction", problems);
        }
        if (this == DIESEL) {
            return setting(file.resolveSibling("metadata.toml"), "run_in_transaction", problems);
        }
        return null;
    }

    @Override
    public boolean detectsNonTransactionalStatements() {
        return this == FLYWAY;
    }

    /**
     * The boolean {@code key} is set to ({@code key=false} or TOML's {@code key = false}), null when
     * the file or the key is absent or its value malformed (reported).
     * Flyway docs, "Script Config Files"; Diesel CLI, "metadata.toml".
     */
    static Boolean setting(Path config, String key, List<String> problems) {
        if (!Files.isRegularFile(config)) {
            return null;
        }
        try {
            int lineNumber = 0;
            Boolean value = null;
            for (String line : Files.readAllLines(config, StandardCharsets.UTF_8)) {
                lineNumber++;
                String[] kv = line.strip().split("\\s*=\\s*", 2);
                if (kv.length == 2 && kv[0].equals(key)) {
                    String v = kv[1].strip().toLowerCase(Locale.ROOT);
                    if (v.equals("false") || v.equals("true")) {
                        value = Boolean.valueOf(v);
                    } else {
                        problems.add(config + ":" + lineNumber + ": " + key + " must be true or false, not '" + kv[1] + "'");
                    }
                }
            }
            return value;
        } catch (IOException e) {
            problems.add(config + ": cannot be read (" + e.getMessage() + "); check its permissions");
            return null;
        }
    }

    @Override
    public String unreadHint(String location) {
        return scope == Scope.FOLDER
                ? name + " reads " + expected + ", one folder level below " + location
                : name + " reads " + expected + " directly in " + location;
    }

    private static String fileName(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    private static String stem(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return fileName.substring(0, fileName.length() - (lower.endsWith(".up.sql") ? 7 : 4));
    }
}
