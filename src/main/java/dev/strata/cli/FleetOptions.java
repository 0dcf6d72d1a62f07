package dev.strata.cli;

import dev.strata.db.ConfigException;
import dev.strata.engine.FleetRun;
import picocli.CommandLine.Option;

/** Options of a fleet run: where the targets come from and how the rollout proceeds. */
public class FleetOptions {

    /** Targets worked on at the same time when {@code --parallel} is not given. */
    static final int DEFAULT_PARALLEL = 4;

    @Option(names = "--targets", paramLabel = "FILE",
            description = "Run on every database in FILE: one PostgreSQL URL per line, then optionally "
                    + "schema=NAME and a label; '#' comments and blank lines are ignored.")
    String targetsFile;

    @Option(names = "--targets-query", paramLabel = "SQL",
            description = "Run on every target the query returns on --url: rows of (URL or schema name [, label]).")
    String targetsQuery;

    @Option(names = "--parallel", paramLabel = "N",
            description = "Fleet: targets worked on at the same time, one session each (default: 4).")
    Integer parallel;

    @Option(names = "--canary", paramLabel = "K",
            description = "Fleet: run the first K targets alone; start the rest only if all of them succeeded.")
    Integer canary;

    @Option(names = "--on-error", paramLabel = "stop|continue",
            description = "Fleet: after a failed target, start no new one (stop, the default) or go on (continue).")
    String onError;

    @Option(names = "--max-failures", paramLabel = "M",
            description = "Fleet: start no new target once M targets failed (with --on-error continue).")
    Integer maxFailures;

    /**
     * True when targets are given, so the command runs over a fleet.
     *
     * @throws ConfigException (exit 2) for both target sources at once, a rollout option without
     *                         targets, or a value out of range
     */
    boolean given() {
        boolean targets = targetsFile != null || targetsQuery != null;
        if (targetsFile != null && targetsQuery != null) {
            throw new ConfigException("give either --targets or --targets-query, not both");
        }
        if (!targets && (parallel != null || canary != null || onError != null || maxFailures != null)) {
            throw new ConfigException("--parallel, --canary, --on-error and --max-failures apply to fleets; "
                    + "add --targets FILE or --targets-query SQL");
        }
        return targets;
    }

    /** The rollout rules, checked. */
    FleetRun.Rollout rollout() {
        int n = parallel == null ? DEFAULT_PARALLEL : parallel;
        if (n < 1) {
            throw new ConfigException("--parallel must be 1 or more, not " + n);
        }
        if (canary != null && canary < 0 || maxFailures != null && maxFailures < 0) {
            throw new ConfigException("--canary and --max-failures must be 0 or more");
        }
        String mode = onError == null ? "stop" : onError;
        if (!mode.equals("stop") && !mode.equals("continue")) {
            throw new ConfigException("--on-error must be stop or continue, not '" + mode + "'");
        }
        return new FleetRun.Rollout(n, canary == null ? 0 : canary, mode.equals("stop"),
                maxFailures == null ? 0 : maxFailures);
    }
}
