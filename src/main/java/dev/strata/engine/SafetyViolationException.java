package dev.strata.engine;

import dev.strata.sql.Finding;

import java.util.List;

/**
 * The SQL safety scanner found errors (exit code 5): nothing was run and no connection was made.
 */
public class SafetyViolationException extends RuntimeException {

    private final transient List<Finding> findings;

    /** @param findings every finding of the scan (errors and warnings), in file order */
    public SafetyViolationException(List<Finding> findings) {
        super(findings.stream().filter(f -> f.severity() == dev.strata.sql.Severity.ERROR).count()
                + " safety error(s) in the migrations");
        this.findings = List.copyOf(findings);
    }

    /** Every finding, errors and warnings. */
    public List<Finding> findings() {
        return findings;
    }
}
