package dev.strata.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.engine.FleetSummary;
import dev.strata.engine.TargetResult.Outcome;
import dev.strata.engine.TargetResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a fleet run: one line per target as it finishes, then a summary block whose last line
 * is {@code Fleet: N targets: …}; with {@code --json}, one JSON object per line per target and a
 * last {@code {"fleet":{…}}} object with the totals.
 */
final class FleetPrinter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final boolean json;
    private final int width;

    /** A printer; {@code longestName} aligns the text lines. */
    FleetPrinter(boolean json, int longestName) {
        this.json = json;
        this.width = Math.min(longestName, 48) + 4;
    }

    /** One finished target. */
    void target(TargetResult r) {
        if (json) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("target", r.name());
            line.put("outcome", key(r.outcome()));
            line.put("migrations", r.migrations());
            line.put("detail", r.detail());
            line.put("failure", r.failure() == null ? null : r.failure().name().toLowerCase(java.util.Locale.ROOT));
            line.put("ms", r.ms());
            printJson(line);
            return;
        }
        String time = r.outcome() == Outcome.NOT_STARTED ? "" : " (" + Console.duration(r.ms()) + ")";
        Console.out().println(Console.dots(r.name(), width) + " " + r.detail() + time);
        Console.out().flush();
    }

    /** The summary block and the last line; {@code exitCode} is what the process will return. */
    void finish(FleetSummary s, int parallel, int exitCode) {
        if (json) {
            Map<String, Object> totals = new LinkedHashMap<>();
            totals.put("targets", s.total());
            for (Outcome o : Outcome.values()) {
                totals.put(key(o), s.count(o));
            }
            totals.put("failedTargets", s.failures().stream().map(TargetResult::name).toList());
            totals.put("interrupted", s.wasInterrupted());
            totals.put("parallel", parallel);
            totals.put("ms", s.ms());
            totals.put("exitCode", exitCode);
            printJson(Map.of("fleet", totals));
            return;
        }
        var out = Console.out();
        out.println();
        if (!s.failures().isEmpty()) {
            out.println("Failed targets" + (s.count(Outcome.FAILED) > FleetSummary.KEPT
                    ? " (the first " + FleetSummary.KEPT + ")" : "") + ":");
            s.failures().forEach(f -> out.println("  " + f.name() + ": " + f.detail()));
        }
        if (s.wasInterrupted()) {
            out.println("Interrupted: no target was started after the signal; running ones finished or rolled back.");
        }
        if (s.count(Outcome.NOT_STARTED) > 0) {
            out.println(s.count(Outcome.NOT_STARTED) + " target" + (s.count(Outcome.NOT_STARTED) == 1 ? " was" : "s were")
                    + " not started and are untouched; run the same command again to continue.");
        }
        out.println("Took " + Console.duration(s.ms()) + " with --parallel " + parallel + ".");
        out.println(lastLine(s));
    }

    /** {@code Fleet: 200 targets: 190 migrated, 8 up to date, 2 failed (tenant_07, tenant_93)}. */
    static String lastLine(FleetSummary s) {
        List<String> parts = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            int n = s.count(o);
            if (n == 0) {
                continue;
            }
            String part = n + " " + o.label();
            if (o == Outcome.FAILED) {
                List<String> names = s.failures().stream().map(TargetResult::name).toList();
                part += " (" + String.join(", ", names) + (n > names.size() ? ", and " + (n - names.size()) + " more" : "")
                        + ")";
            }
            parts.add(part);
        }
        return "Fleet: " + s.total() + " target" + (s.total() == 1 ? "" : "s") + ": " + String.join(", ", parts);
    }

    private static String key(Outcome o) {
        return switch (o) {
            case MIGRATED -> "migrated";
            case UP_TO_DATE -> "upToDate";
            case PENDING -> "pending";
            case FAILED -> "failed";
            case NOT_STARTED -> "notStarted";
        };
    }

    /** Prints {@code document} as one line of JSON on stdout and flushes (fleet and fleet-health JSON lines). */
    static void printJson(Map<String, Object> document) {
        try {
            Console.out().println(MAPPER.writeValueAsString(document));
            Console.out().flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
