package dev.strata.sql;

/**
 * One lexical token: its kind and char offsets {@code [start, end)} into the lexed text;
 * {@code unterminated} is set for a string, quoted identifier, dollar quote or comment cut off by
 * the end of the input.
 */
public record Token(TokenKind kind, int start, int end, boolean unterminated) {

    /** The token's text within {@code source}, the string it was lexed from. */
    public String text(String source) {
        return source.substring(start, end);
    }
}
