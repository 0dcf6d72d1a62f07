package dev.strata.sql;

import java.util.Locale;

/** Reads possibly schema-qualified names ({@code a.b}, {@code "A"."b"}) from a token range. */
final class Names {

    private Names() {
    }

    /** Index just past the name starting at {@code i}, or {@code i} if there is none. */
    static int end(TokenRange st, int i) {
        int k = i;
        while (isPart(st, k)) {
            k++;
            if (st.is(k, TokenKind.DOT) && isPart(st, k + 1)) {
                k++;
            } else {
                break;
            }
        }
        return k;
    }

    /**
     * The last part of the name at {@code i}, case-folded like PostgreSQL (unquoted to lower case,
     * quoted kept with "" undoubled), or null; schemas are ignored when matching tables.
     */
    static String lastPart(TokenRange st, int i) {
        int e = end(st, i);
        if (e == i) {
            return null;
        }
        String t = st.text(e - 1);
        if (st.is(e - 1, TokenKind.QUOTED_IDENT)) {
            int open = t.indexOf('"');
            return t.substring(open + 1, Math.max(open + 1, t.length() - 1)).replace("\"\"", "\"");
        }
        return t.toLowerCase(Locale.ROOT);
    }

    /** The name at {@code i} as written, for messages. */
    static String display(TokenRange st, int i) {
        int e = end(st, i);
        StringBuilder b = new StringBuilder();
        for (int k = i; k < e; k++) {
            b.append(st.text(k));
        }
        return b.toString();
    }

    private static boolean isPart(TokenRange st, int k) {
        return st.is(k, TokenKind.WORD) || st.is(k, TokenKind.QUOTED_IDENT);
    }
}
