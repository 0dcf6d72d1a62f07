package dev.strata.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Totals of a fleet run: counts per outcome and the first {@link #KEPT} failures, so its size
 * does not grow with the number of targets. Filled by one fleet run, one result at a time.
 */
public final class FleetSummary {

    /** How many failed targets are kept by name for the report. */
    public static final int KEPT = 20;

    private final Map<TargetResult.Outcome, Integer> counts = new EnumMap<>(TargetResult.Outcome.class);
    private final List<TargetResult> failures = new ArrayList<>();
    private final Set<TargetResult.FailureKind> kinds = EnumSet.noneOf(TargetResult.FailureKind.class);
    private int total;
    private boolean interrupted;
    private long ms;

    void add(TargetResult result) {
        total++;
        counts.merge(result.outcome(), 1, Integer::sum);
        if (result.outcome() == TargetResult.Outcome.FAILED) {
            kinds.add(result.failure());
            if (failures.size() < KEPT) {
                failures.add(result);
            }
        }
    }

    void interrupted() {
        interrupted = true;
    }

    void finished(long wallMs) {
        ms = wallMs;
    }

    /** Targets seen, every outcome included. */
    public int total() {
        return total;
    }

    /** Targets with the given outcome. */
    public int count(TargetResult.Outcome outcome) {
        return counts.getOrDefault(outcome, 0);
    }

    /** The first {@link #KEPT} failed targets, in the order they finished. */
    public List<TargetResult> failures() {
        return List.copyOf(failures);
    }

    /** The classes of failure that happened. */
    public Set<TargetResult.FailureKind> failureKinds() {
        return Set.copyOf(kinds);
    }

    /** True when SIGTERM or Ctrl-C stopped the rollout. */
    public boolean wasInterrupted() {
        return interrupted;
    }

    /** Wall time of the whole fleet run, ms. */
    public long ms() {
        return ms;
    }
}
