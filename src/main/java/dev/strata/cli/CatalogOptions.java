package dev.strata.cli;

import dev.strata.catalog.Layouts;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options choosing where migrations come from. */
public class CatalogOptions {

    @Option(names = "--location", paramLabel = "DIR",
            description = "Directory of SQL-only migrations to use instead of the bundled db/migrations; repeat it to "
                    + "merge several (a version used in two of them is an error naming both files) (env STRATA_LOCATION).")
    List<String> locations = new ArrayList<>();

    @Option(names = "--layout", paramLabel = "NAME", defaultValue = "${env:STRATA_LAYOUT:-auto}",
            description = "How the locations are laid out: auto (detected, the default), strata, flyway, golang-migrate, "
                    + "dbmate, goose, sqlx, prisma, diesel, sqitch or postgres-migrations (env STRATA_LAYOUT).")
    String layout;

    @Option(names = "--adopt", paramLabel = "auto|off", defaultValue = "${env:STRATA_ADOPT:-auto}",
            description = "auto (the default): on first contact with a database another tool migrated (Flyway, "
                    + "golang-migrate, dbmate, goose, sqlx, Prisma, Diesel, Sqitch), record what its history table says "
                    + "was applied (checked with its checksums) instead of running it again; off: ignore that table "
                    + "(env STRATA_ADOPT).")
    String adopt;

    @Option(names = "--history-table", paramLabel = "NAME", defaultValue = "${env:STRATA_HISTORY_TABLE:-auto}",
            description = "The table of Strata's schema history: auto (the default) is schema_migrations, or "
                    + "strata_schema_migrations when schema_migrations belongs to another tool (golang-migrate, "
                    + "dbmate); or a lower-case name, optionally schema.table (env STRATA_HISTORY_TABLE).")
    String historyTable;

    @Option(names = "--allow-empty",
            description = "Accept a location without any migration (otherwise an error, exit 2: an empty or "
                    + "mistyped folder must not look like an up-to-date schema).")
    boolean allowEmpty;

    /** The {@code --location} directories, else {@code STRATA_LOCATION}; empty for the bundled migrations. */
    List<Path> locations() {
        List<Path> paths = new ArrayList<>();
        locations.stream().filter(l -> l != null && !l.isBlank()).forEach(l -> paths.add(Path.of(l)));
        String env = System.getenv("STRATA_LOCATION");
        if (paths.isEmpty() && env != null && !env.isBlank()) {
            paths.add(Path.of(env));
        }
        return paths;
    }

    /** The first location, or null for the bundled migrations (where {@code create} writes). */
    String location() {
        List<Path> paths = locations();
        return paths.isEmpty() ? null : paths.get(0).toString();
    }

    /**
     * Whether to adopt another tool's history.
     *
     * @throws dev.strata.db.ConfigException for a value other than auto or off
     */
    boolean adopt() {
        return dev.strata.engine.Wiring.adopt(adopt);
    }

    /**
     * The {@code --history-table} value: null for the automatic choice.
     *
     * @throws dev.strata.db.ConfigException for a name that is not a lower-case identifier
     */
    String historyTable() {
        if (historyTable == null || historyTable.isBlank() || historyTable.equalsIgnoreCase("auto")) {
            return null;
        }
        String problem = dev.strata.history.HistoryTable.problem(historyTable);
        if (problem != null) {
            throw new dev.strata.db.ConfigException("--history-table: " + problem);
        }
        return historyTable;
    }

    /** The {@code --layout} value, checked. */
    String layout() {
        return layout == null ? Layouts.NAMES.get(0) : layout;
    }
}
