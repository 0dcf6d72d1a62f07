package dev.strata.sql;

import java.util.Set;

/** Reads the column definitions of a CREATE TABLE's parenthesised list into {@link ColumnTypes}. */
final class ColumnDefinitions {

    /** Words that end a column's type in a column definition (PostgreSQL docs, "CREATE TABLE"). */
    private static final Set<String> TYPE_END = Set.of("NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "CHECK",
            "REFERENCES", "CONSTRAINT", "GENERATED", "COLLATE", "COMPRESSION", "STORAGE", "USING");

    /** Table-level entries of the list, which define no column. */
    private static final Set<String> NOT_COLUMNS = Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN",
            "EXCLUDE", "LIKE");

    private ColumnDefinitions() {
    }

    /** Records each column of the list opening at {@code open} (if it is a parenthesis) for {@code table}. */
    static void record(TokenRange st, int open, String table, ColumnTypes types) {
        if (!st.is(open, TokenKind.LPAREN)) {
            return;
        }
        int close = st.closeParen(open);
        int start = open + 1;
        int depth = 0;
        for (int k = start; k <= close && k < st.size(); k++) {
            if (st.kind(k) == TokenKind.LPAREN) {
                depth++;
            } else if (st.kind(k) == TokenKind.RPAREN && k < close) {
                depth--;
            } else if (depth == 0 && (st.kind(k) == TokenKind.COMMA || k == close)) {
                column(st, start, k, table, types);
                start = k + 1;
            }
        }
    }

    /** Records the column defined by tokens {@code [a, b)}, if they define one. */
    static void column(TokenRange st, int a, int b, String table, ColumnTypes types) {
        if (a >= b || !(st.is(a, TokenKind.WORD) || st.is(a, TokenKind.QUOTED_IDENT))
                || (st.is(a, TokenKind.WORD) && NOT_COLUMNS.contains(st.text(a).toUpperCase(java.util.Locale.ROOT)))) {
            return;
        }
        String column = Names.lastPart(st, a);
        int end = typeEnd(st, a + 1, b);
        types.record(table, column, SqlType.parse(st, a + 1, end));
    }

    /** Index of the first token after a column type starting at {@code from}, at most {@code to}. */
    static int typeEnd(TokenRange st, int from, int to) {
        int depth = 0;
        for (int k = from; k < to; k++) {
            if (st.kind(k) == TokenKind.LPAREN) {
                depth++;
            } else if (st.kind(k) == TokenKind.RPAREN) {
                depth--;
            } else if (depth == 0 && st.is(k, TokenKind.WORD)
                    && TYPE_END.contains(st.text(k).toUpperCase(java.util.Locale.ROOT))) {
                return k;
            }
        }
        return to;
    }
}
