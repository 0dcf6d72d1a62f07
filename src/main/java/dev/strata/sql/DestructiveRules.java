package dev.strata.sql;

/**
 * DROP SCHEMA, DROP DATABASE and TRUNCATE, recognised by a statement's leading key words only
 * (PostgreSQL docs, "SQL Commands": DROP SCHEMA, DROP DATABASE, TRUNCATE), so column names,
 * privileges ({@code GRANT TRUNCATE}), trigger events and string contents never match.
 */
final class DestructiveRules {

    private DestructiveRules() {
    }

    /**
     * Reports the statement if it is one of the three; {@code where} completes the message (e.g.
     * " inside a DO block"). Returns true if something was reported.
     */
    static boolean check(TokenRange st, FindingSink sink, String where) {
        if (st.startsWith("DROP", "SCHEMA")) {
            sink.report(Rule.DROP_SCHEMA, st.fileOffset(0),
                    "DROP SCHEMA " + objectNames(st, 2) + where + " removes the schema (and with CASCADE everything in it)");
            return true;
        }
        if (st.startsWith("DROP", "DATABASE")) {
            sink.report(Rule.DROP_DATABASE, st.fileOffset(0),
                    "DROP DATABASE " + objectNames(st, 2) + where + " destroys a whole database");
            return true;
        }
        if (st.startsWith("TRUNCATE")) {
            sink.report(Rule.TRUNCATE, st.fileOffset(0),
                    "TRUNCATE " + objectNames(st, st.isWord(1, "TABLE") ? 2 : 1) + where
                            + " removes all rows without row-level triggers");
            return true;
        }
        return false;
    }

    /** The names after the leading key words, for the message; IF EXISTS and ONLY skipped. */
    static String objectNames(TokenRange st, int i) {
        if (st.matchesAt(i, "IF", "EXISTS")) {
            i += 2;
        }
        if (st.isWord(i, "ONLY")) {
            i++;
        }
        StringBuilder b = new StringBuilder();
        for (int k = i; k < st.size() && b.length() < 60; k++) {
            TokenKind kind = st.kind(k);
            if (kind == TokenKind.WORD || kind == TokenKind.QUOTED_IDENT) {
                if (isClauseWord(st, k)) {
                    break;
                }
                b.append(st.text(k));
            } else if (kind == TokenKind.DOT || kind == TokenKind.COMMA) {
                b.append(kind == TokenKind.DOT ? "." : ", ");
            } else {
                break;
            }
        }
        return b.length() == 0 ? "" : b.toString();
    }

    private static boolean isClauseWord(TokenRange st, int k) {
        return st.isWord(k, "CASCADE") || st.isWord(k, "RESTRICT") || st.isWord(k, "WITH")
                || st.isWord(k, "RESTART") || st.isWord(k, "CONTINUE");
    }
}
