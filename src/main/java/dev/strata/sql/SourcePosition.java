package dev.strata.sql;

/**
 * A 1-based line and column in a SQL file; columns count Java chars (UTF-16 code units), and a
 * leading byte-order mark is not counted.
 */
public record SourcePosition(int line, int column) {

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
