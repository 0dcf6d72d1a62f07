package dev.strata.sql;

import java.util.Map;
import java.util.Set;

/**
 * How to scan one migration: whether it runs inside a transaction (Strata's default), rule ids the
 * migration explicitly allows with a reason (e.g. {@code "truncate" -> "reference data reload"}),
 * and warning rule ids the project treats as errors.
 */
public record ScanOptions(boolean transactional, Map<String, String> allowances, Set<String> promotedToError) {

    public ScanOptions {
        allowances = Map.copyOf(allowances);
        promotedToError = Set.copyOf(promotedToError);
    }

    /** Transactional, nothing allowed, nothing promoted. */
    public static ScanOptions defaults() {
        return new ScanOptions(true, Map.of(), Set.of());
    }

    /** A copy with {@code ruleId} allowed for {@code reason}. */
    public ScanOptions allowing(String ruleId, String reason) {
        Map<String, String> m = new java.util.HashMap<>(allowances);
        m.put(ruleId, reason);
        return new ScanOptions(transactional, m, promotedToError);
    }

    /** A copy with the given transactional flag. */
    public ScanOptions withTransactional(boolean value) {
        return new ScanOptions(value, allowances, promotedToError);
    }
}
