package dev.strata.sql;

/**
 * A psql backslash meta-command found outside literals, e.g. {@code \set} or {@code \gset}:
 * char offsets {@code [start, end)} of the command and its arguments, its name without the
 * backslash ({@code ";"} for psql's {@code \;}), and where it starts. Such text cannot be sent over
 * the wire protocol.
 */
public record MetaCommand(int start, int end, SourcePosition position, String name, String text) {
}
