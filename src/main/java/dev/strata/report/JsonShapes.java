package dev.strata.report;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogMigration;
import dev.strata.engine.ApplyResult;
import dev.strata.engine.MigrationFailure;
import dev.strata.engine.MigrationState;
import dev.strata.engine.StatusReport;
import dev.strata.history.AppliedMigration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documented JSON shapes of {@code --json} output (README, "JSON output"). Keys are stable;
 * new keys may be added, none are renamed or removed.
 */
public final class JsonShapes {

    private JsonShapes() {
    }

    /** One migration as listed: number, name, file, dependencies, state, checksum, executedAt. */
    public static Map<String, Object> entry(StatusReport.Entry e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("number", e.number());
        json.put("name", e.name());
        json.put("file", e.migration().map(CatalogMigration::file).orElse(null));
        json.put("dependencies", e.migration().map(CatalogMigration::dependencies).orElse(List.of()));
        json.put("state", e.state().label());
        json.put("checksum", e.migration().map(CatalogMigration::checksum).orElse(null));
        json.put("executedAt", e.applied().map(AppliedMigration::executedAt).orElse(null));
        return json;
    }

    /** {@code status}: counts, last applied, names of pending/changed/failed/unknown migrations. */
    public static Map<String, Object> status(StatusReport report, Catalog catalog) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("database", report.database());
        json.put("location", catalog.location());
        json.put("migrations", catalog.size());
        json.put("applied", report.appliedCount());
        for (MigrationState state : new MigrationState[] {MigrationState.PENDING, MigrationState.CHANGED,
                MigrationState.FAILED, MigrationState.UNKNOWN}) {
            json.put(state.label(), report.count(state));
        }
        json.put("upToDate", report.upToDate());
        json.put("lastApplied", report.lastApplied().map(last -> Map.of("name", last.name(),
                "executedAt", last.executedAt())).orElse(null));
        for (MigrationState state : new MigrationState[] {MigrationState.PENDING, MigrationState.CHANGED,
                MigrationState.FAILED, MigrationState.UNKNOWN}) {
            json.put(state.label() + "Migrations", report.in(state).stream().map(StatusReport.Entry::name).toList());
        }
        json.put("historyTable", report.historyTable());
        json.put("adopted", report.adoptions().stream().map(a -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("tool", a.tool());
            item.put("table", a.table());
            item.put("count", a.count());
            item.put("at", a.at());
            return item;
        }).toList());
        return json;
    }

    /** {@code apply-all}: outcome, applied steps with durations (ms), the plan, notes. */
    public static Map<String, Object> apply(ApplyResult result, String database) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("database", database);
        json.put("outcome", result.dryRun() ? "dry-run" : result.applied().isEmpty() ? "up-to-date" : "applied");
        json.put("plan", result.pendingPlan().stream().map(CatalogMigration::name).toList());
        json.put("applied", result.applied().stream().map(step -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("number", step.migration().number());
            item.put("name", step.migration().name());
            item.put("sqlMs", step.sqlMs());
            item.put("verifyMs", step.verifyMs());
            item.put("totalMs", step.totalMs());
            return item;
        }).toList());
        json.put("totalMs", result.totalMs());
        json.put("notes", result.notes());
        return json;
    }

    /** A located migration failure: migration, phase, file, line, column, SQLSTATE, message, detail, hint, context. */
    public static Map<String, Object> failure(MigrationFailure f) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("migration", f.migration().name());
        json.put("phase", f.phase());
        json.put("file", f.migration().file());
        json.put("line", f.line());
        json.put("column", f.column());
        json.put("sqlState", f.sqlState());
        json.put("message", f.message());
        json.put("detail", f.detail());
        json.put("hint", f.hint());
        json.put("context", f.context());
        return json;
    }
}
