package dev.strata.serve;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogMigration;
import dev.strata.engine.MigrationGraph;
import dev.strata.engine.MigrationState;
import dev.strata.engine.StatusReport;
import dev.strata.engine.TargetResult;
import dev.strata.history.AppliedMigration;
import dev.strata.report.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the status page shows at one moment: the catalog against the schema history (or the error
 * that kept Strata from reading it), the last run, the fleet, and the drawn graph.
 *
 * @param database    the database, redacted (no password)
 * @param location    the catalog's location
 * @param catalogSize migrations in the catalog
 * @param report      the catalog compared with the history; empty when it could not be read
 * @param error       why the history could not be read (password-free), when {@code report} is empty
 * @param lastApply   the last apply over HTTP by this process
 * @param fleet       the fleet's status when {@code serve} was given targets
 * @param rows        one row per migration of the catalog (plan order), then history rows it does not know
 * @param picture     the graph as inline SVG
 * @param generatedAt when this view was read
 */
record StatusView(String database, String location, int catalogSize, Optional<StatusReport> report,
                  Optional<String> error, Optional<LastApply.Run> lastApply, Optional<FleetStatus.View> fleet,
                  List<Row> rows, GraphPicture.Picture picture, OffsetDateTime generatedAt) {

    /**
     * One line of the migrations table.
     *
     * @param state    empty when the history could not be read
     * @param nextStep position in the next {@code apply-all}, 0 when not pending
     */
    record Row(long number, String name, String description, List<Long> dependencies, Optional<MigrationState> state,
               Optional<AppliedMigration> applied, int nextStep) {
    }

    /** The rows of a catalog (and, with a report, its states and the unknown history rows). */
    static List<Row> rows(Catalog catalog, Optional<StatusReport> report, MigrationGraph graph) {
        Map<String, Integer> steps = new LinkedHashMap<>();
        graph.nodes().forEach(n -> steps.put(n.id(), n.nextStep()));
        List<Row> rows = new ArrayList<>();
        if (report.isEmpty()) {
            for (CatalogMigration m : catalog.migrations()) {
                rows.add(new Row(m.number(), m.name(), m.description(), m.dependencies(), Optional.empty(),
                        Optional.empty(), 0));
            }
            return rows;
        }
        for (StatusReport.Entry e : report.get().entries()) {
            rows.add(new Row(e.number(), e.name(),
                    e.migration().map(CatalogMigration::description).orElse(e.applied().map(AppliedMigration::description)
                            .orElse("")),
                    e.migration().map(CatalogMigration::dependencies).orElse(List.of()), Optional.of(e.state()),
                    e.applied(), steps.getOrDefault("m" + e.number(), 0)));
        }
        return rows;
    }

    /** The latest row of the schema history (by commit time), known to the catalog or not. */
    Optional<AppliedMigration> lastRecorded() {
        return report.flatMap(r -> r.entries().stream().flatMap(e -> e.applied().stream())
                .filter(a -> a.executedAt() != null).max(Comparator.comparing(AppliedMigration::executedAt)));
    }

    /** {@code up-to-date}, {@code pending}, {@code attention} (changed/failed/unknown) or {@code unreadable}. */
    String verdict() {
        if (report.isEmpty()) {
            return "unreadable";
        }
        return switch (report.get().verdict()) {
            case UP_TO_DATE -> "up-to-date";
            case PENDING -> "pending";
            default -> "attention";
        };
    }

    /** The verdict in words for the page's heading. */
    String verdictText() {
        return switch (verdict()) {
            case "up-to-date" -> "up to date";
            case "pending" -> report.get().count(MigrationState.PENDING) + " pending";
            case "attention" -> "needs attention";
            default -> "history unreadable";
        };
    }

    /** The page's data as JSON ({@code GET /status.json}): what the script compares and shows. */
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("database", database);
        json.put("location", location);
        json.put("migrations", catalogSize);
        json.put("verdict", verdict());
        json.put("error", error.orElse(null));
        Map<String, Object> counts = new LinkedHashMap<>();
        report.ifPresent(r -> {
            for (MigrationState s : MigrationState.values()) {
                counts.put(s.label(), r.count(s));
            }
        });
        json.put("counts", report.isPresent() ? counts : null);
        json.put("entries", rows.stream().map(r -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("number", r.number());
            e.put("name", r.name());
            e.put("state", r.state().map(MigrationState::label).orElse(null));
            e.put("nextStep", r.nextStep());
            e.put("executedAt", r.applied().map(AppliedMigration::executedAt).orElse(null));
            return e;
        }).toList());
        json.put("lastRecorded", lastRecorded().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", a.name());
            m.put("executedAt", a.executedAt());
            m.put("executionTimeMs", a.executionTimeMs());
            m.put("success", a.success());
            m.put("kind", a.kind());
            return m;
        }).orElse(null));
        json.put("lastApply", lastApply.map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("startedAt", a.startedAt());
            m.put("totalMs", a.totalMs());
            m.put("outcome", a.outcome());
            m.put("migrations", a.migrations());
            m.put("error", a.error());
            return m;
        }).orElse(null));
        json.put("fleet", fleet.map(f -> Map.of("checkedAt", f.checkedAt(), "targets", f.results().stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("outcome", t.outcome().label());
            m.put("detail", t.detail());
            m.put("ms", t.ms());
            return m;
        }).toList())).orElse(null));
        json.put("fingerprint", fingerprint());
        return json;
    }

    /**
     * A hash of everything the page shows except times of reading: when it changes, the script
     * reloads the page (which the server draws again) instead of patching it.
     */
    String fingerprint() {
        StringBuilder s = new StringBuilder(database).append('\n').append(verdict()).append('\n')
                .append(error.orElse("")).append('\n');
        rows.forEach(r -> s.append(r.number()).append(' ').append(r.name()).append(' ')
                .append(r.state().map(MigrationState::label).orElse("-")).append(' ').append(r.nextStep()).append('\n'));
        lastRecorded().ifPresent(a -> s.append(a.name()).append(' ').append(a.executedAt()).append('\n'));
        lastApply.ifPresent(a -> s.append(a.startedAt()).append(' ').append(a.outcome()).append('\n'));
        fleet.ifPresent(f -> f.results().forEach(t -> s.append(t.name()).append(' ').append(t.outcome().label())
                .append(' ').append(t.outcome() == TargetResult.Outcome.FAILED ? t.detail() : t.migrations()).append('\n')));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** The JSON text of {@link #json()}. */
    String jsonText() {
        return Json.write(json());
    }
}
