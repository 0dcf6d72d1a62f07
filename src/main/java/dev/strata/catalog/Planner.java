package dev.strata.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Orders migrations topologically by their dependencies, breaking ties by number (Kahn's
 * algorithm with a min-heap), and finds a cycle to report when there is one.
 */
final class Planner {

    private Planner() {
    }

    /**
     * @param migrations migrations whose dependencies all exist among them
     * @return plan order, or a cycle in {@link Result#cycle()} (first element repeated at the end)
     */
    static Result order(List<CatalogMigration> migrations) {
        Map<Long, CatalogMigration> byNumber = new HashMap<>();
        Map<Long, Integer> indegree = new HashMap<>();
        Map<Long, List<Long>> dependents = new HashMap<>();
        for (CatalogMigration m : migrations) {
            byNumber.put(m.number(), m);
            indegree.put(m.number(), m.dependencies().size());
            for (long d : m.dependencies()) {
                dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(m.number());
            }
        }
        PriorityQueue<Long> ready = new PriorityQueue<>();
        indegree.forEach((n, d) -> {
            if (d == 0) {
                ready.add(n);
            }
        });
        List<CatalogMigration> ordered = new ArrayList<>(migrations.size());
        while (!ready.isEmpty()) {
            long n = ready.poll();
            ordered.add(byNumber.get(n));
            for (long dependent : dependents.getOrDefault(n, List.of())) {
                if (indegree.merge(dependent, -1, Integer::sum) == 0) {
                    ready.add(dependent);
                }
            }
        }
        if (ordered.size() == migrations.size()) {
            return new Result(ordered, List.of());
        }
        return new Result(List.of(), findCycle(byNumber, indegree));
    }

    private static List<Long> findCycle(Map<Long, CatalogMigration> byNumber, Map<Long, Integer> indegree) {
        // Every node left with indegree > 0 has an unprocessed dependency, so walking
        // dependencies from one of them must revisit a node: that walk's tail is a cycle.
        long start = indegree.entrySet().stream().filter(e -> e.getValue() > 0)
                .mapToLong(Map.Entry::getKey).min().orElseThrow();
        List<Long> path = new ArrayList<>();
        Map<Long, Integer> seenAt = new HashMap<>();
        long current = start;
        while (!seenAt.containsKey(current)) {
            seenAt.put(current, path.size());
            path.add(current);
            long next = -1;
            for (long d : byNumber.get(current).dependencies()) {
                if (indegree.get(d) > 0) {
                    next = d;
                    break;
                }
            }
            current = next;
        }
        List<Long> cycle = new ArrayList<>(path.subList(seenAt.get(current), path.size()));
        cycle.add(current);
        return cycle;
    }

    /** A plan order, or the cycle that prevents one. */
    record Result(List<CatalogMigration> ordered, List<Long> cycle) {
    }
}
