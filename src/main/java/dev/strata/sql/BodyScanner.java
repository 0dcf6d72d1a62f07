package dev.strata.sql;

import java.util.Locale;

/**
 * Looks inside DO blocks and CREATE FUNCTION/PROCEDURE bodies (PostgreSQL docs, "DO", "CREATE
 * FUNCTION", "PL/pgSQL — Basic Statements"): PL/pgSQL static SQL, SQL-language bodies, SQL-standard
 * {@code BEGIN ATOMIC} bodies, and string literals handed to EXECUTE. Bodies are re-lexed in place
 * so findings carry the line:column of the file.
 */
final class BodyScanner {

    private static final int MAX_DEPTH = 8;

    private final FindingSink sink;

    BodyScanner(FindingSink sink) {
        this.sink = sink;
    }

    /** Scans the body of {@code st} if it is a DO block or a routine definition. */
    void scanRoutine(TokenRange st, int depth) {
        String first = st.firstWord();
        if (depth > MAX_DEPTH || !(first.equals("DO") || first.equals("CREATE"))) {
            return;
        }
        if (first.equals("DO")) {
            int body = firstLiteral(st, 1);
            if (body >= 0) {
                scanBody(st, body, language(st, "plpgsql"), true, depth);
            }
            return;
        }
        int i = 0;
        if (!st.isWord(i++, "CREATE")) {
            return;
        }
        if (st.matchesAt(i, "OR", "REPLACE")) {
            i += 2;
        }
        if (!st.isWord(i, "FUNCTION") && !st.isWord(i, "PROCEDURE")) {
            return;
        }
        int atomic = st.findTopLevel(i, "BEGIN", "ATOMIC");
        if (atomic >= 0) {
            int end = st.size();
            if (st.isWord(end - 1, "END")) {
                end--;
            }
            scanSqlStatements(new TokenRange(st.tokens, st.from + atomic + 2, st.from + end, st.offsetMap()),
                    false, depth, " inside a BEGIN ATOMIC body");
            return;
        }
        int as = st.findTopLevel(i, "AS");
        if (as >= 0 && isLiteral(st, as + 1) && !st.is(as + 2, TokenKind.COMMA)) {
            scanBody(st, as + 1, language(st, "sql"), false, depth);
        }
    }

    private static int firstLiteral(TokenRange st, int from) {
        for (int i = from; i < st.size(); i++) {
            if (isLiteral(st, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isLiteral(TokenRange st, int i) {
        return st.is(i, TokenKind.STRING) || st.is(i, TokenKind.DOLLAR_STRING);
    }

    /** The LANGUAGE clause's value in lower case, or {@code dflt}. */
    private static String language(TokenRange st, String dflt) {
        int i = st.findTopLevel(0, "LANGUAGE");
        if (i < 0 || i + 1 >= st.size()) {
            return dflt;
        }
        String value = st.text(i + 1);
        if (st.is(i + 1, TokenKind.STRING) || st.is(i + 1, TokenKind.QUOTED_IDENT)) {
            value = value.substring(1, Math.max(1, value.length() - 1));
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private void scanBody(TokenRange st, int literal, String language, boolean inDo, int depth) {
        boolean plpgsql = language.equals("plpgsql");
        if (!plpgsql && !language.equals("sql")) {
            return; // C, internal, PL/Python …: not SQL we can read
        }
        TokenRange body = literalContent(st, literal);
        if (body == null) {
            return;
        }
        String where = inDo ? " inside a DO block" : " inside a function body";
        if (plpgsql) {
            scanPlpgsql(body, inDo, depth, where);
        } else {
            scanSqlStatements(body, inDo, depth, where);
        }
    }

    /** Re-lexes the value of the string token {@code literal} of {@code st}. */
    static TokenRange literalContent(TokenRange st, int literal) {
        TokenBuffer tb = st.tokens;
        String src = tb.source();
        int start = st.start(literal);
        int end = st.end(literal);
        if (st.is(literal, TokenKind.DOLLAR_STRING)) {
            int tagLength = src.indexOf('$', start + 1) + 1 - start;
            boolean closed = end - start >= 2 * tagLength
                    && src.regionMatches(end - tagLength, src, start, tagLength);
            int[] c = StringLiterals.dollarContent(src, start, end, !closed);
            TokenBuffer tokens = lex(src, tb.chars(), c[0], c[1]);
            return new TokenRange(tokens, 0, tokens.size(), st.offsetMap());
        }
        StringLiterals.Decoded d = StringLiterals.decode(src, start, end);
        if (d == null) {
            return null;
        }
        int[] map = new int[d.map().length];
        for (int k = 0; k < map.length; k++) {
            map[k] = st.mapOffset(d.map()[k]);
        }
        TokenBuffer tokens = lex(d.text(), d.text().toCharArray(), 0, d.text().length());
        return new TokenRange(tokens, 0, tokens.size(), map);
    }

    /** Tokens of {@code src[from, to)} without comments, in backend (not psql) mode. */
    static TokenBuffer lex(String src, char[] chars, int from, int to) {
        SqlLexer lx = new SqlLexer(src, chars, from, to, false);
        TokenBuffer tb = new TokenBuffer(src, chars, (to - from) / 5);
        for (int k = lx.next(); k != SqlLexer.EOF; k = lx.next()) {
            if (k != TokenKind.COMMENT.ordinal()) {
                tb.add(k, lx.tokenStart(), lx.tokenEnd());
            }
        }
        return tb;
    }

    /** SQL bodies: statements separated by top-level ';' (CASE … END never contains one). */
    private void scanSqlStatements(TokenRange body, boolean inDo, int depth, String where) {
        int start = 0;
        int parens = 0;
        for (int i = 0; i <= body.size(); i++) {
            boolean atEnd = i == body.size();
            if (!atEnd) {
                TokenKind k = body.kind(i);
                if (k == TokenKind.LPAREN) {
                    parens++;
                } else if (k == TokenKind.RPAREN) {
                    parens = Math.max(0, parens - 1);
                }
                if (k != TokenKind.SEMICOLON || parens > 0) {
                    continue;
                }
            }
            if (i > start) {
                checkNested(sub(body, start, i), inDo, depth, where);
            }
            start = i + 1;
        }
    }

    /**
     * PL/pgSQL: a statement starts at the beginning of the body and after ';', a label's '>>'
     * and the block key words BEGIN, THEN, ELSE, LOOP and DECLARE, and ends at the next ';'.
     */
    private void scanPlpgsql(TokenRange body, boolean inDo, int depth, String where) {
        int n = body.size();
        for (int i = 0; i < n; i++) {
            boolean start = i == 0 || body.is(i - 1, TokenKind.SEMICOLON)
                    || (body.is(i - 1, TokenKind.OPERATOR) && body.text(i - 1).equals(">>"))
                    || body.isWord(i - 1, "BEGIN") || body.isWord(i - 1, "THEN") || body.isWord(i - 1, "ELSE")
                    || body.isWord(i - 1, "LOOP") || body.isWord(i - 1, "DECLARE");
            if (body.isWord(i, "EXECUTE") && (start || body.isWord(i - 1, "QUERY")
                    || body.isWord(i - 1, "IN") || body.isWord(i - 1, "FOR"))) {
                dynamic(body, i, inDo, depth);
            }
            if (!start) {
                continue;
            }
            int end = i;
            int parens = 0;
            while (end < n && !(parens == 0 && body.is(end, TokenKind.SEMICOLON))) {
                if (body.is(end, TokenKind.LPAREN)) {
                    parens++;
                } else if (body.is(end, TokenKind.RPAREN)) {
                    parens = Math.max(0, parens - 1);
                }
                end++;
            }
            if (end > i) {
                checkNested(sub(body, i, end), inDo, depth, where);
            }
        }
    }

    /** EXECUTE expr [INTO …] [USING …]: checks a literal command string, warns about the rest. */
    private void dynamic(TokenRange body, int execute, boolean inDo, int depth) {
        int a = execute + 1;
        int b = a;
        int parens = 0;
        while (b < body.size()) {
            if (body.is(b, TokenKind.LPAREN)) {
                parens++;
            } else if (body.is(b, TokenKind.RPAREN)) {
                parens--;
            } else if (parens == 0 && (body.is(b, TokenKind.SEMICOLON) || body.isWord(b, "INTO")
                    || body.isWord(b, "USING") || body.isWord(b, "LOOP"))) {
                break;
            }
            b++;
        }
        String where = " in a string passed to EXECUTE";
        if (b - a == 1 && isLiteral(body, a)) {
            checkLiteral(body, a, inDo, depth, where);
            return;
        }
        if (body.isWord(a, "FORMAT") && body.is(a + 1, TokenKind.LPAREN) && isLiteral(body, a + 2)) {
            checkLiteral(body, a + 2, inDo, depth, " in a format() string passed to EXECUTE");
            TokenRange content = literalContent(body, a + 2);
            boolean leadingPlaceholder = content == null || content.size() == 0
                    || (content.is(0, TokenKind.OPERATOR) && content.text(0).startsWith("%"));
            if (!leadingPlaceholder) {
                return; // the command's key words are in the literal: checked above
            }
        } else if (isLiteral(body, a)) {
            checkLiteral(body, a, inDo, depth, where);
        }
        sink.report(Rule.DYNAMIC_SQL, body.fileOffset(execute),
                "EXECUTE runs SQL assembled at run time that the scanner cannot check");
    }


    private void checkLiteral(TokenRange body, int literal, boolean inDo, int depth, String where) {
        TokenRange content = literalContent(body, literal);
        if (content != null && depth < MAX_DEPTH) {
            scanSqlStatements(content, inDo, depth + 1, where);
        }
    }

    private void checkNested(TokenRange st, boolean inDo, int depth, String where) {
        String first = st.firstWord();
        if (first.equals("DROP") || first.equals("TRUNCATE")) {
            DestructiveRules.check(st, sink, where);
        }
        if (inDo && (st.startsWith("COMMIT") || st.startsWith("ROLLBACK")) && sink.options().transactional()) {
            sink.report(Rule.TRANSACTION_CONTROL, st.fileOffset(0),
                    st.text(0).toUpperCase(Locale.ROOT) + where + " ends the migration's transaction");
        }
        scanRoutine(st, depth + 1);
    }

    private static TokenRange sub(TokenRange r, int from, int to) {
        return new TokenRange(r.tokens, r.from + from, r.from + to, r.offsetMap());
    }
}
