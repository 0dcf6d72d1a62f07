package dev.strata.sql;

import java.util.ArrayList;
import java.util.List;

/** Collects findings for one file, applying allowances and promotions from {@link ScanOptions}. */
final class FindingSink {

    private final SqlScript script;
    private final ScanOptions options;
    private final List<Finding> findings = new ArrayList<>();

    FindingSink(SqlScript script, ScanOptions options) {
        this.script = script;
        this.options = options;
    }

    ScanOptions options() {
        return options;
    }

    void report(Rule rule, int fileOffset, String message) {
        if (rule.allowable() && options.allowances().containsKey(rule.id())) {
            return;
        }
        Severity severity = options.promotedToError().contains(rule.id()) ? Severity.ERROR : rule.defaultSeverity();
        SourcePosition p = script.positionOf(fileOffset);
        findings.add(new Finding(script.fileName(), p.line(), p.column(), severity, rule.id(), message, rule.hint()));
    }

    /** The 1-based file line of {@code fileOffset}, for messages that point at a second place. */
    int lineOf(int fileOffset) {
        return script.positionOf(fileOffset).line();
    }

    List<Finding> findings() {
        return findings;
    }
}
