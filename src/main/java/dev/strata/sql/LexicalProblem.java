package dev.strata.sql;

/**
 * A string, quoted identifier, dollar quote, comment or COPY data block that the end of the file
 * cut off; {@code what} names it (e.g. "dollar-quoted string"), {@code offset} is where it starts.
 */
public record LexicalProblem(String what, int offset, SourcePosition position) {
}
