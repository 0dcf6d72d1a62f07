package dev.strata.history;

import io.vertx.mutiny.sqlclient.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads Sqitch's registry (schema {@code sqitch}): a deployed change is a row of
 * {@code sqitch.changes} for the project (Sqitch deletes the row when it reverts the change; a failed
 * deploy is rolled back and logged in {@code sqitch.events} only). Checks Sqitch's
 * {@code script_hash}, SHA-1 hex of the deploy script's bytes (sqitchers/sqitch,
 * lib/App/Sqitch/Engine/pg.sql and App::Sqitch::Plan::Change).
 */
final class AdoptionSqitch implements Adoption.ToolHistory {

    @Override
    public String tool() {
        return "sqitch";
    }

    @Override
    public String table() {
        return "sqitch.changes";
    }

    @Override
    public String select() {
        return "adopt_sqitch_select.sql";
    }

    @Override
    public Adoption.Result match(List<Row> rows, Adoption.Catalog catalog) {
        Set<String> projects = new TreeSet<>();
        rows.forEach(row -> projects.add(row.getString("project")));
        if (projects.size() > 1) {
            return new Adoption.Result(table(), List.of(), List.of("sqitch.changes holds the changes of projects "
                    + String.join(", ", projects) + ", and Strata adopts one project's; adopt by hand (--adopt off, then "
                    + "strata baseline)"));
        }
        List<String> problems = new ArrayList<>();
        List<SchemaHistory.Entry> entries = new ArrayList<>();
        for (Row row : rows) {
            String change = row.getString("change");
            String where = "sqitch.changes " + row.getString("project") + ":" + change + " (change_id "
                    + row.getString("change_id") + ")";
            Adoption.Candidate m = catalog.byName(change).orElse(null);
            if (m == null) {
                problems.add(Adoption.notInCatalog(where));
                continue;
            }
            String recorded = row.getString("script_hash");
            String actual = Adoption.hex(Adoption.digest("SHA-1", m.bytes()));
            if (!actual.equals(recorded)) {
                problems.add(m.file() + " changed since Sqitch deployed it (" + where + "): Sqitch's script_hash "
                        + recorded + ", the file's SHA-1 " + actual + "; restore the file as it was deployed");
                continue;
            }
            entries.add(catalog.entry(tool(), m, null));
        }
        return new Adoption.Result(table(), entries, problems);
    }
}
