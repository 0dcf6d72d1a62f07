package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.db.ConfigException;
import dev.strata.db.ConnectionPool;
import dev.strata.db.ConnectionSettings;
import dev.strata.engine.FleetRun;
import dev.strata.engine.FleetSummary;
import dev.strata.engine.Migrator;
import dev.strata.engine.Target;
import dev.strata.engine.TargetResult;
import dev.strata.engine.TargetResult.Outcome;
import dev.strata.engine.TargetWork;
import dev.strata.report.ExitCodes;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code strata health --targets FILE | --targets-query SQL}: the health of every target in one
 * verdict. A target is UP when it answers, its schema history agrees with the catalog (nothing
 * changed, failed or unknown) and nothing is pending, as the single-database checks
 * {@code database}, {@code schema-history} and {@code migrations} judge it; the fleet is UP when
 * every target is. Every target is checked (no stop rule), {@code --parallel} at a time, one
 * connection each, nothing written. Exit 0 UP, 1 DOWN (as {@code strata health}), 2 for a usage
 * or registry error before any target is checked.
 */
@ApplicationScoped
public class FleetHealth {

    /** A health check's connect timeout, as {@code serve}'s checks (Fly.io's check timeout is 5 s). */
    static final Duration CHECK_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    @Inject
    CommandContext context;
    @Inject
    Fleets fleets;
    @Inject
    Vertx vertx;

    /** A target that is not UP, and why. */
    private record Down(String target, String reason) {
    }

    /**
     * Checks every target and prints one line per target as it is checked, then the verdict last.
     *
     * @return 0 when every target is UP, 1 when any is DOWN
     * @throws ConfigException (exit 2) for a rollout option other than {@code --parallel}
     */
    int run(FleetOptions fleet, ConnectionOptions connection, Catalog catalog, boolean json) {
        if (fleet.canary != null || fleet.onError != null || fleet.maxFailures != null) {
            throw new ConfigException("health checks every target: only --parallel applies to health --targets, "
                    + "not --canary, --on-error or --max-failures");
        }
        int parallel = fleet.rollout().parallel();
        Migrator prototype = context.migrator(catalog, null);
        List<Target> targets = fleets.targets(fleet, connection);
        Duration connect = Duration.ofMillis(connection.connectTimeoutMs);
        Duration timeout = connect.compareTo(CHECK_CONNECT_TIMEOUT) < 0 ? connect : CHECK_CONNECT_TIMEOUT;
        FleetRun run = new FleetRun(prototype, (ConnectionSettings s) -> new ConnectionPool(vertx, s, 1, timeout),
                new FleetRun.Rollout(parallel, 0, false, 0));
        int width = Math.min(targets.stream().mapToInt(t -> t.name().length()).max().orElse(10), 48) + 4;
        List<Down> down = new ArrayList<>();
        FleetSummary summary = run.run(targets, TargetWork.status(), r -> {
            boolean up = r.outcome() == Outcome.UP_TO_DATE;
            String reason = reason(r);
            if (!up) {
                down.add(new Down(r.name(), reason));
            }
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("target", r.name());
                line.put("status", up ? "UP" : "DOWN");
                line.put("pending", r.outcome() == Outcome.PENDING ? r.migrations() : 0);
                line.put("reason", up ? null : reason);
                line.put("detail", r.detail());
                line.put("failure", r.failure() == null ? null : r.failure().name().toLowerCase(Locale.ROOT));
                line.put("ms", r.ms());
                FleetPrinter.printJson(line);
            } else {
                Console.out().println(Console.dots(r.name(), width) + " " + (up ? "UP    " : "DOWN  ") + r.detail()
                        + " (" + Console.duration(r.ms()) + ")");
                Console.out().flush();
            }
        }).await().indefinitely();
        int code = down.isEmpty() && summary.total() > 0 ? ExitCodes.OK : ExitCodes.MIGRATION_FAILED;
        if (json) {
            Map<String, Object> totals = new LinkedHashMap<>();
            totals.put("status", code == ExitCodes.OK ? "UP" : "DOWN");
            totals.put("targets", summary.total());
            totals.put("up", summary.total() - down.size());
            totals.put("down", down.size());
            totals.put("downTargets", down.stream().map(d -> Map.of("target", d.target(), "reason", d.reason())).toList());
            totals.put("parallel", parallel);
            totals.put("ms", summary.ms());
            totals.put("exitCode", code);
            FleetPrinter.printJson(Map.of("health", totals));
        } else {
            var out = Console.out();
            out.println();
            if (!down.isEmpty()) {
                out.println("Down targets:");
                down.forEach(d -> out.println("  " + d.target() + ": " + d.reason()));
            }
            out.println("Took " + Console.duration(summary.ms()) + " with --parallel " + parallel + ".");
            out.println(lastLine(summary.total(), down));
        }
        return code;
    }

    /** {@code Health: DOWN: 2 of 5 targets down (tenant_03, tenant_04)} or {@code Health: UP: 5 targets up}. */
    private static String lastLine(int total, List<Down> down) {
        if (total == 0) {
            return "Health: DOWN: no targets";
        }
        if (down.isEmpty()) {
            return "Health: UP: " + total + " target" + (total == 1 ? "" : "s") + " up";
        }
        List<String> names = down.stream().map(Down::target).toList();
        int shown = Math.min(names.size(), FleetSummary.KEPT);
        return "Health: DOWN: " + down.size() + " of " + total + " target" + (total == 1 ? "" : "s") + " down ("
                + String.join(", ", names.subList(0, shown)) + (names.size() > shown ? ", and " + (names.size() - shown)
                + " more" : "") + ")";
    }

    /** Why a target is DOWN, in the words of the single-database checks. */
    private static String reason(TargetResult r) {
        return switch (r.outcome()) {
            case UP_TO_DATE -> "";
            case PENDING -> "migrations: " + r.detail();
            case FAILED -> r.failure() == TargetResult.FailureKind.CONNECTION ? "database: " + r.detail()
                    : "schema-history: " + r.detail();
            case NOT_STARTED -> "not checked (interrupted)";
            case MIGRATED -> "unexpected: migrated";
        };
    }
}
