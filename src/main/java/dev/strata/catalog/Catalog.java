package dev.strata.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A validated set of migrations in plan order (topological by dependencies, ties by number).
 * Built by {@link CatalogLoader}; immutable.
 */
public final class Catalog {

    private final String location;
    private final String layout;
    private final List<CatalogMigration> ordered;
    private final Map<Long, CatalogMigration> byNumber = new TreeMap<>();

    public Catalog(String location, List<CatalogMigration> ordered) {
        this(location, ordered, "strata");
    }

    /** @param layout the folder layout the migrations were read in, e.g. {@code flyway} */
    public Catalog(String location, List<CatalogMigration> ordered, String layout) {
        this.location = location;
        this.layout = layout;
        this.ordered = List.copyOf(ordered);
        for (CatalogMigration m : ordered) {
            byNumber.put(m.number(), m);
        }
    }

    /** Where the migrations came from, e.g. {@code classpath:db/migrations} or a directory path. */
    public String location() {
        return location;
    }

    /** The folder layout the migrations were read in, e.g. {@code strata} or {@code flyway}; see {@link Layouts}. */
    public String layout() {
        return layout;
    }

    /** Every migration in plan order. */
    public List<CatalogMigration> migrations() {
        return ordered;
    }

    /** The migration with this number, if any. */
    public Optional<CatalogMigration> find(long number) {
        return Optional.ofNullable(byNumber.get(number));
    }

    /** Numbers of the migrations that depend directly on {@code number}, ascending. */
    public List<Long> dependents(long number) {
        List<Long> result = new ArrayList<>();
        for (CatalogMigration m : byNumber.values()) {
            if (m.dependencies().contains(number)) {
                result.add(m.number());
            }
        }
        return Collections.unmodifiableList(result);
    }

    /** {@code number} and all its transitive dependencies, in plan order. */
    public List<CatalogMigration> withDependencies(long number) {
        java.util.Set<Long> wanted = new java.util.HashSet<>();
        java.util.ArrayDeque<Long> todo = new java.util.ArrayDeque<>(List.of(number));
        while (!todo.isEmpty()) {
            long n = todo.pop();
            if (wanted.add(n)) {
                find(n).ifPresent(m -> todo.addAll(m.dependencies()));
            }
        }
        return ordered.stream().filter(m -> wanted.contains(m.number())).toList();
    }

    /** Number of migrations. */
    public int size() {
        return ordered.size();
    }
}
