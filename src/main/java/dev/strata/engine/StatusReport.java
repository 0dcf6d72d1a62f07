package dev.strata.engine;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogMigration;
import dev.strata.history.AppliedMigration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog compared with the schema history: one entry per catalog migration in plan order,
 * then one per history row the catalog does not know.
 *
 * @param entries      every migration with its state
 * @param database     the redacted URL of the database compared against
 * @param historyTable the schema history table read (see {@link dev.strata.history.HistoryTable})
 */
public record StatusReport(List<Entry> entries, String database, String historyTable) {

    /** A report on the default history table. */
    public StatusReport(List<Entry> entries, String database) {
        this(entries, database, dev.strata.history.HistoryTable.DEFAULT);
    }

    /**
     * One migration's state.
     *
     * @param number    migration number
     * @param name      file name without {@code .sql}
     * @param migration the catalog migration, empty for {@link MigrationState#UNKNOWN}
     * @param applied   its history row, if any
     * @param state     the state
     */
    public record Entry(long number, String name, Optional<CatalogMigration> migration,
                        Optional<AppliedMigration> applied, MigrationState state) {
    }

    /** Compares a catalog with history rows read from the default history table (no database access). */
    public static StatusReport of(Catalog catalog, List<AppliedMigration> history, String database) {
        return of(catalog, history, database, dev.strata.history.HistoryTable.DEFAULT);
    }

    /** Compares a catalog with history rows read from {@code historyTable} (no database access). */
    public static StatusReport of(Catalog catalog, List<AppliedMigration> history, String database,
                                  String historyTable) {
        Map<Long, AppliedMigration> byNumber = new HashMap<>();
        for (AppliedMigration row : history) {
            byNumber.put(row.number(), row);
        }
        List<Entry> entries = new ArrayList<>();
        for (CatalogMigration m : catalog.migrations()) {
            AppliedMigration row = byNumber.remove(m.number());
            MigrationState state;
            if (row == null) {
                state = MigrationState.PENDING;
            } else if (!row.success()) {
                state = MigrationState.FAILED;
            } else if (!row.checksum().equalsIgnoreCase(m.checksum())) {
                state = MigrationState.CHANGED;
            } else {
                state = "baseline".equals(row.kind()) ? MigrationState.BASELINE : MigrationState.APPLIED;
            }
            entries.add(new Entry(m.number(), m.name(), Optional.of(m), Optional.ofNullable(row), state));
        }
        history.stream().filter(r -> byNumber.containsKey(r.number())).forEach(r ->
                entries.add(new Entry(r.number(), r.name(), Optional.empty(), Optional.of(r), MigrationState.UNKNOWN)));
        return new StatusReport(List.copyOf(entries), database, historyTable);
    }

    /**
     * What was adopted from another tool's history table, read from the rows of kind
     * {@code adopted-<tool>}.
     *
     * @param tool  the tool, e.g. {@code sqlx}
     * @param table its history table that was read, e.g. {@code _sqlx_migrations}
     * @param count how many migrations were adopted from it
     * @param at    when Strata recorded them (the earliest such row; UTC)
     */
    public record Adopted(String tool, String table, int count, java.time.OffsetDateTime at) {
    }

    /** Every adoption recorded in the history, one per tool, in the order they were recorded. */
    public List<Adopted> adoptions() {
        Map<String, List<AppliedMigration>> byTool = new java.util.LinkedHashMap<>();
        entries.stream().flatMap(e -> e.applied().stream())
                .sorted(java.util.Comparator.comparing(AppliedMigration::executedAt,
                        java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())))
                .forEach(row -> dev.strata.history.Adoption.tool(row.kind()).ifPresent(tool ->
                        byTool.computeIfAbsent(tool, t -> new ArrayList<>()).add(row)));
        List<Adopted> out = new ArrayList<>();
        byTool.forEach((tool, rows) -> out.add(new Adopted(tool, dev.strata.history.Adoption.table(tool), rows.size(),
                rows.get(0).executedAt())));
        return out;
    }

    /** Entries in the given state. */
    public List<Entry> in(MigrationState state) {
        return entries.stream().filter(e -> e.state() == state).toList();
    }

    /** Number of entries in the given state. */
    public int count(MigrationState state) {
        return (int) entries.stream().filter(e -> e.state() == state).count();
    }

    /** Applied (or baselined) entries. */
    public int appliedCount() {
        return count(MigrationState.APPLIED) + count(MigrationState.BASELINE);
    }

    /** The most recently executed history row still in the catalog, if any. */
    public Optional<AppliedMigration> lastApplied() {
        return entries.stream().filter(e -> e.migration().isPresent()).flatMap(e -> e.applied().stream())
                .filter(AppliedMigration::success)
                .max(java.util.Comparator.comparing(AppliedMigration::executedAt));
    }

    /** The entry for a number, if any. */
    public Optional<Entry> find(long number) {
        return entries.stream().filter(e -> e.number() == number).findFirst();
    }

    /** What the comparison of catalog and history comes to, as every command reports it. */
    public enum Verdict {
        /** Every migration is applied and the history agrees with the files. */
        UP_TO_DATE,
        /** Migrations are pending; the history agrees with the files. */
        PENDING,
        /** The history disagrees with the files (changed, failed or unknown): apply-all refuses. */
        CONFLICT
    }

    /** Changed, failed and unknown entries: the ones that make {@code apply-all} refuse. */
    public int problemCount() {
        return count(MigrationState.CHANGED) + count(MigrationState.FAILED) + count(MigrationState.UNKNOWN);
    }

    /** The verdict: {@link Verdict#CONFLICT} when any problem, else pending or up to date. */
    public Verdict verdict() {
        if (problemCount() > 0) {
            return Verdict.CONFLICT;
        }
        return count(MigrationState.PENDING) > 0 ? Verdict.PENDING : Verdict.UP_TO_DATE;
    }

    /** True when nothing is pending and the history agrees with the files. */
    public boolean upToDate() {
        return verdict() == Verdict.UP_TO_DATE;
    }
}
