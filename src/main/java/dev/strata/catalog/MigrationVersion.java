package dev.strata.catalog;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A migration version as another tool writes it: digit groups of any length separated by
 * {@code .} or {@code _} (Flyway's {@code 1.2.10}, ory's {@code 20150100000001000000}), compared
 * group by group as numbers, so {@code 1.2 < 1.10} and a missing group counts as 0
 * ({@code 1 == 1.0}), as Flyway compares them (Flyway docs, "Migrations", Versioned Migrations).
 *
 * @param text   the version as written, e.g. {@code 1.2.10}
 * @param groups its digit groups as numbers
 */
public record MigrationVersion(String text, List<BigInteger> groups) implements Comparable<MigrationVersion> {

    /**
     * Parses digit groups separated by {@code .} or {@code _}.
     *
     * @throws IllegalArgumentException when {@code text} is empty or holds anything else
     */
    public static MigrationVersion parse(String text) {
        if (!text.matches("\\d+([._]\\d+)*")) {
            throw new IllegalArgumentException("'" + text + "' is not a version (digits, optionally separated by . or _)");
        }
        List<BigInteger> groups = new ArrayList<>();
        for (String group : text.split("[._]")) {
            groups.add(new BigInteger(group));
        }
        return new MigrationVersion(text, List.copyOf(groups));
    }

    /** The version as a migration number, when it is a single group that fits a {@code long}. */
    public Optional<Long> asLong() {
        if (groups.size() != 1 || groups.get(0).bitLength() >= Long.SIZE) {
            return Optional.empty();
        }
        return Optional.of(groups.get(0).longValueExact());
    }

    @Override
    public int compareTo(MigrationVersion other) {
        int n = Math.max(groups.size(), other.groups.size());
        for (int i = 0; i < n; i++) {
            BigInteger a = i < groups.size() ? groups.get(i) : BigInteger.ZERO;
            BigInteger b = i < other.groups.size() ? other.groups.get(i) : BigInteger.ZERO;
            int c = a.compareTo(b);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
