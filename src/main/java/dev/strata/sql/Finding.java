package dev.strata.sql;

import java.util.Locale;

/**
 * One safety-rule violation: file, 1-based line and column of the offending key word (mapped back
 * to the file for statements inside function bodies), severity, stable rule id (see {@link Rule}),
 * a message saying what is wrong and a one-line hint saying what to do.
 */
public record Finding(String file, int line, int column, Severity severity, String ruleId,
        String message, String hint) {

    /** Compiler-style text: {@code file:line:col: error rule-id: message} and an indented hint line. */
    public String format() {
        String text = file + ":" + line + ":" + column + ": " + severity.name().toLowerCase(Locale.ROOT)
                + " " + ruleId + ": " + message;
        return hint == null || hint.isEmpty() ? text : text + "\n  hint: " + hint;
    }
}
