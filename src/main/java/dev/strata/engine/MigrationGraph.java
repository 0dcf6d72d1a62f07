package dev.strata.engine;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogMigration;
import dev.strata.db.ConfigException;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dependency graph as {@code strata graph} draws it: nodes in plan order (then history rows the
 * catalog does not know), an edge from each dependency to its dependent, and each node's state when
 * the schema history was read.
 *
 * @param nodes      nodes in plan order
 * @param edges      dependency → dependent, in the order of the dependents
 * @param withStates whether states come from a database (false: drawn from the files alone)
 */
public record MigrationGraph(List<Node> nodes, List<Edge> edges, boolean withStates) {

    /**
     * One node: a migration, a history row unknown to the catalog, or a range of numbers.
     *
     * @param id       identifier valid in Mermaid and DOT ({@code m007}, {@code u099_1}, {@code g100_199})
     * @param lines    label lines, the first the migration's name or the range
     * @param state    its state (for a range, the most urgent of its members'), empty without a database
     * @param nextStep its position in the next {@code apply-all} (1-based), 0 when it is not pending
     */
    public record Node(String id, List<String> lines, Optional<MigrationState> state, int nextStep) {
    }

    /** An edge: {@code to} depends on {@code from}, so {@code from} runs first. */
    public record Edge(String from, String to) {
    }

    // The order in which a range shows its members' states: the one that needs a person first.
    private static final List<MigrationState> URGENCY = List.of(MigrationState.FAILED, MigrationState.CHANGED,
            MigrationState.UNKNOWN, MigrationState.PENDING, MigrationState.BASELINE, MigrationState.APPLIED);

    /**
     * The whole graph of a catalog, with the states of {@code report} when there is one.
     *
     * @param report the catalog compared with the schema history, or empty to draw the files alone
     */
    public static MigrationGraph of(Catalog catalog, Optional<StatusReport> report) {
        Map<Long, StatusReport.Entry> entries = new LinkedHashMap<>();
        report.ifPresent(r -> r.entries().stream().filter(e -> e.migration().isPresent())
                .forEach(e -> entries.put(e.number(), e)));
        Map<Long, Integer> steps = nextSteps(report);
        int pending = steps.size();
        List<Node> nodes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        for (CatalogMigration m : catalog.migrations()) {
            Optional<MigrationState> state = Optional.ofNullable(entries.get(m.number())).map(StatusReport.Entry::state);
            int step = steps.getOrDefault(m.number(), 0);
            List<String> lines = new ArrayList<>(List.of(m.name()));
            state.ifPresent(s -> lines.add(s.label() + (step > 0 ? " · next " + step + " of " + pending : "")));
            nodes.add(new Node(id(m.number()), lines, state, step));
            m.dependencies().forEach(d -> edges.add(new Edge(id(d), id(m.number()))));
        }
        int unknown = 0;
        for (StatusReport.Entry e : report.map(StatusReport::entries).orElse(List.of())) {
            if (e.migration().isEmpty()) {
                nodes.add(new Node("u" + e.number() + "_" + ++unknown, List.of(e.name(), "unknown: not in the catalog"),
                        Optional.of(MigrationState.UNKNOWN), 0));
            }
        }
        return new MigrationGraph(List.copyOf(nodes), List.copyOf(edges), report.isPresent());
    }

    /**
     * Only migration {@code number}, everything it depends on and everything that depends on it
     * (transitively); history rows the catalog does not know are left out.
     *
     * @throws ConfigException when the catalog has no migration {@code number}
     */
    public MigrationGraph focus(Catalog catalog, long number) {
        if (catalog.find(number).isEmpty()) {
            throw new ConfigException("--focus " + number + ": the catalog (" + catalog.location()
                    + ") has no migration " + CatalogMigration.format(number) + "; see strata list for the numbers.");
        }
        Set<String> kept = new HashSet<>();
        kept.add(id(number));
        kept.addAll(reach(id(number), true));
        kept.addAll(reach(id(number), false));
        return new MigrationGraph(nodes.stream().filter(n -> kept.contains(n.id())).toList(),
                edges.stream().filter(e -> kept.contains(e.from()) && kept.contains(e.to())).toList(), withStates);
    }

    /** The most ranges a grouped graph has (fewer when {@code maxNodes} is lower): more stop being readable. */
    public static final int MAX_RANGES = 40;

    /**
     * This graph when it has at most {@code maxNodes} nodes; otherwise one node per range of
     * numbers, the range width the smallest power of ten (10 or more) that gives at most
     * {@link #MAX_RANGES} (and at most {@code maxNodes}) ranges, with an edge between two ranges when
     * a member of one depends on a member of the other.
     */
    public MigrationGraph grouped(int maxNodes) {
        if (nodes.size() <= maxNodes) {
            return this;
        }
        List<Long> numbers = nodes.stream().map(MigrationGraph::number).toList();
        long width = 10;
        while (ranges(numbers, width) > Math.min(maxNodes, MAX_RANGES) && width < Long.MAX_VALUE / 10) {
            width *= 10;
        }
        Map<String, List<Node>> members = new LinkedHashMap<>();
        Map<String, String> rangeOf = new LinkedHashMap<>();
        for (Node n : nodes) {
            long start = number(n) / width * width;
            String range = "g" + start + "_" + (start + width - 1);
            members.computeIfAbsent(range, k -> new ArrayList<>()).add(n);
            rangeOf.put(n.id(), range);
        }
        long w = width;
        List<Node> ranges = members.entrySet().stream().map(e -> range(e.getKey(), e.getValue(), w)).toList();
        Set<Edge> between = new LinkedHashSet<>();
        for (Edge e : edges) {
            String from = rangeOf.get(e.from());
            String to = rangeOf.get(e.to());
            if (from != null && to != null && !from.equals(to)) {
                between.add(new Edge(from, to));
            }
        }
        return new MigrationGraph(ranges, List.copyOf(between), withStates);
    }

    private static long ranges(List<Long> numbers, long width) {
        return numbers.stream().map(n -> n / width).distinct().count();
    }

    private Node range(String id, List<Node> members, long width) {
        long start = number(members.get(0)) / width * width;
        List<String> lines = new ArrayList<>();
        lines.add(CatalogMigration.format(start) + "–" + CatalogMigration.format(start + width - 1));
        Map<MigrationState, Integer> counts = new EnumMap<>(MigrationState.class);
        members.forEach(n -> n.state().ifPresent(s -> counts.merge(s, 1, Integer::sum)));
        StringBuilder summary = new StringBuilder(members.size() + " migration" + (members.size() == 1 ? "" : "s"));
        URGENCY.stream().filter(counts::containsKey).forEach(s -> summary.append(", ").append(counts.get(s))
                .append(' ').append(s.label()));
        lines.add(summary.toString());
        Optional<MigrationState> state = URGENCY.stream().filter(counts::containsKey).findFirst();
        int step = members.stream().mapToInt(Node::nextStep).filter(s -> s > 0).min().orElse(0);
        return new Node(id, lines, state, step);
    }

    private Set<String> reach(String start, boolean upstream) {
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String current = todo.pop();
            for (Edge e : edges) {
                String next = upstream ? (e.to().equals(current) ? e.from() : null) : (e.from().equals(current) ? e.to() : null);
                if (next != null && seen.add(next)) {
                    todo.push(next);
                }
            }
        }
        return seen;
    }

    private static Map<Long, Integer> nextSteps(Optional<StatusReport> report) {
        Map<Long, Integer> steps = new LinkedHashMap<>();
        report.ifPresent(r -> r.in(MigrationState.PENDING).forEach(e -> steps.put(e.number(), steps.size() + 1)));
        return steps;
    }

    private static String id(long number) {
        return "m" + number;
    }

    private static long number(Node node) {
        String digits = node.id().substring(1);
        int cut = digits.indexOf('_');
        return Long.parseLong(cut < 0 ? digits : digits.substring(0, cut));
    }
}
