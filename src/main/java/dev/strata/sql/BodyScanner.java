package dev.strata.sql;

import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Looks inside DO blocks and CREATE FUNCTION/PROCEDURE bodies (PostgreSQL docs, "DO", "CREATE
 * FUNCTION", "PL/pgSQL — Basic Statements"): PL/pgSQL static SQL, SQL-language bodies, SQL-standard
 * {@code BEGIN ATOMIC} bodies, and string literals handed to EXECUTE. Bodies are re-lexed in place
 * so findings carry the line:column of the file.
 *
 * <p>Nesting (a DO inside an EXECUTE string inside a function body …) has no fixed limit: nested
 * statements wait on an explicit stack instead of the call stack, and the only bound is the work
 * of re-lexing, {@link #WORK_FACTOR} times the file's size; past it the scanner reports
 * {@link Rule#CANNOT_VERIFY} instead of falling silent.
 */
final class BodyScanner {

    /** Characters re-lexed per file, as a multiple of the file's size (plus {@link #WORK_FLOOR}). */
    static final int WORK_FACTOR = 16;
    private static final long WORK_FLOOR = 1L << 24;

    private final FindingSink sink;
    private final ArrayDeque<TokenRange> nested = new ArrayDeque<>();
    private long workLeft;

    BodyScanner(FindingSink sink, int fileLength) {
        this.sink = sink;
        this.workLeft = WORK_FLOOR + (long) WORK_FACTOR * fileLength;
    }

    /**
     * Scans the body of {@code st} if it is a DO block or a routine definition, and every body
     * nested in it, depth first.
     */
    void scanRoutine(TokenRange st) {
        nested.push(st);
        while (!nested.isEmpty()) {
            scanOne(nested.pop());
        }
    }

    private void scanOne(TokenRange st) {
        String first = st.firstWord();
        if (!(first.equals("DO") || first.equals("CREATE"))) {
            return;
        }
        if (first.equals("DO")) {
            int body = firstLiteral(st, 1);
            if (body >= 0) {
                scanBody(st, body, language(st, "plpgsql"), true);
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
                    false, " inside a BEGIN ATOMIC body");
            return;
        }
        int as = st.findTopLevel(i, "AS");
        if (as >= 0 && isLiteral(st, as + 1) && !st.is(as + 2, TokenKind.COMMA)) {
            scanBody(st, as + 1, language(st, "sql"), false);
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

    private void scanBody(TokenRange st, int literal, String language, boolean inDo) {
        boolean plpgsql = language.equals("plpgsql");
        if (!plpgsql && !language.equals("sql")) {
            return; // C, internal, PL/Python …: not SQL we can read
        }
        TokenRange body = content(st, literal);
        if (body == null) {
            return;
        }
        String where = inDo ? " inside a DO block" : " inside a function body";
        if (plpgsql) {
            scanPlpgsql(body, inDo, where);
        } else {
            scanSqlStatements(body, inDo, where);
        }
    }

    /**
     * The re-lexed value of string token {@code literal}, charged to the work bound; null (after a
     * {@link Rule#CANNOT_VERIFY} finding) once the bound is spent, and a finding for a literal or
     * comment inside it that never ends, since the server would read the rest differently.
     */
    private TokenRange content(TokenRange st, int literal) {
        if (workLeft < 0) {
            return null;
        }
        workLeft -= st.end(literal) - st.start(literal);
        if (workLeft < 0) {
            nested.clear();
            sink.report(Rule.CANNOT_VERIFY, st.fileOffset(literal), "cannot verify the body nested here: "
                    + "bodies nest deeper than the scanner re-reads (" + WORK_FACTOR + " times the file's size)");
            return null;
        }
        TokenRange content = literalContent(st, literal);
        if (content != null && content.tokens.unterminatedAt() >= 0) {
            sink.report(Rule.CANNOT_VERIFY, content.mapOffset(content.tokens.unterminatedAt()),
                    "cannot verify this body: a string, quoted identifier or comment in it never ends");
        }
        return content;
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
            if (lx.unterminated()) {
                tb.markUnterminated(lx.tokenStart());
            }
            if (k != TokenKind.COMMENT.ordinal()) {
                tb.add(k, lx.tokenStart(), lx.tokenEnd());
            }
        }
        return tb;
    }

    /** SQL bodies: statements separated by top-level ';' (CASE … END never contains one). */
    private void scanSqlStatements(TokenRange body, boolean inDo, String where) {
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
                checkNested(sub(body, start, i), inDo, where);
            }
            start = i + 1;
        }
    }

    /**
     * PL/pgSQL: a statement starts at the beginning of the body and after ';', a label's '>>'
     * and the block key words BEGIN, THEN, ELSE, LOOP and DECLARE, and ends at the next ';'.
     */
    private void scanPlpgsql(TokenRange body, boolean inDo, String where) {
        int n = body.size();
        java.util.BitSet executed = new java.util.BitSet(n);
        int runtimeSql = -1;
        for (int i = 0; i < n; i++) {
            boolean start = i == 0 || body.is(i - 1, TokenKind.SEMICOLON)
                    || (body.is(i - 1, TokenKind.OPERATOR) && body.text(i - 1).equals(">>"))
                    || body.isWord(i - 1, "BEGIN") || body.isWord(i - 1, "THEN") || body.isWord(i - 1, "ELSE")
                    || body.isWord(i - 1, "LOOP") || body.isWord(i - 1, "DECLARE");
            if (body.isWord(i, "EXECUTE") && (start || body.isWord(i - 1, "QUERY")
                    || body.isWord(i - 1, "IN") || body.isWord(i - 1, "FOR"))) {
                int end = dynamic(body, i, inDo);
                if (end < 0) {
                    end = -end;
                    runtimeSql = runtimeSql < 0 ? i : runtimeSql;
                }
                executed.set(i + 1, end);
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
                checkNested(sub(body, i, end), inDo, where);
            }
        }
        if (runtimeSql >= 0) {
            destructiveStrings(body, executed, runtimeSql);
        }
    }

    /**
     * A body that EXECUTEs SQL built at run time may execute any of its string literals (e.g.
     * {@code cmd := 'DROP SCHEMA s'; EXECUTE cmd;}): literals naming DROP SCHEMA, DROP DATABASE or
     * TRUNCATE cannot be verified to stay unexecuted.
     */
    private void destructiveStrings(TokenRange body, java.util.BitSet executed, int execute) {
        for (int i = 0; i < body.size(); i++) {
            if (!isLiteral(body, i) || executed.get(i)) {
                continue;
            }
            TokenRange content = literalContent(body, i);
            for (int j = 0; content != null && j < content.size(); j++) {
                if (content.matchesAt(j, "DROP", "SCHEMA") || content.matchesAt(j, "DROP", "DATABASE")
                        || content.isWord(j, "TRUNCATE")) {
                    sink.report(Rule.CANNOT_VERIFY, content.fileOffset(j), "cannot verify this string: it names "
                            + content.text(j).toUpperCase(Locale.ROOT) + " and the body EXECUTEs SQL built at run "
                            + "time (line " + sink.lineOf(body.fileOffset(execute)) + ")");
                    break;
                }
            }
        }
    }

    /**
     * A DROP or TRUNCATE in a piece of an EXECUTE expression whose object kind only the run time
     * knows ({@code 'DROP ' || kind}, {@code format('DROP %s x', kind)}) might be DROP SCHEMA.
     */
    private void unresolvedDrop(TokenRange body, int from, int to) {
        for (int k = from; k < to; k++) {
            TokenRange content = isLiteral(body, k) ? literalContent(body, k) : null;
            for (int j = 0; content != null && j < content.size(); j++) {
                boolean open = j + 1 >= content.size()
                        || (content.is(j + 1, TokenKind.OPERATOR) && content.text(j + 1).startsWith("%"));
                boolean leading = j == 0 || content.is(j - 1, TokenKind.SEMICOLON); // not ON COMMIT DROP
                if ((content.isWord(j, "DROP") || content.isWord(j, "TRUNCATE")) && open && leading) {
                    sink.report(Rule.CANNOT_VERIFY, content.fileOffset(j), "cannot verify this "
                            + content.text(j).toUpperCase(Locale.ROOT) + ": what it drops is only known at run time "
                            + "and may be a schema or a database");
                    return;
                }
            }
        }
    }

    /**
     * EXECUTE expr [INTO …] [USING …]: checks a literal command string, warns about the rest.
     *
     * @return the index after the expression, negated when the SQL is built at run time
     */
    private int dynamic(TokenRange body, int execute, boolean inDo) {
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
            checkLiteral(body, a, inDo, where);
            return b;
        }
        if (body.isWord(a, "FORMAT") && body.is(a + 1, TokenKind.LPAREN) && isLiteral(body, a + 2)) {
            checkLiteral(body, a + 2, inDo, " in a format() string passed to EXECUTE");
            TokenRange content = literalContent(body, a + 2);
            boolean leadingPlaceholder = content == null || content.size() == 0
                    || (content.is(0, TokenKind.OPERATOR) && content.text(0).startsWith("%"));
            if (!leadingPlaceholder) {
                unresolvedDrop(body, a + 2, a + 3);
                return b; // the command's key words are in the literal: checked above
            }
        } else if (isLiteral(body, a)) {
            checkLiteral(body, a, inDo, where);
        }
        unresolvedDrop(body, a, b);
        sink.report(Rule.DYNAMIC_SQL, body.fileOffset(execute),
                "EXECUTE runs SQL assembled at run time that the scanner cannot check");
        return -b;
    }


    private void checkLiteral(TokenRange body, int literal, boolean inDo, String where) {
        TokenRange content = content(body, literal);
        if (content != null) {
            scanSqlStatements(content, inDo, where);
        }
    }

    private void checkNested(TokenRange st, boolean inDo, String where) {
        String first = st.firstWord();
        if (first.equals("DROP") || first.equals("TRUNCATE")) {
            DestructiveRules.check(st, sink, where);
        }
        if (inDo && (st.startsWith("COMMIT") || st.startsWith("ROLLBACK")) && sink.options().transactional()) {
            sink.report(Rule.TRANSACTION_CONTROL, st.fileOffset(0),
                    st.text(0).toUpperCase(Locale.ROOT) + where + " ends the migration's transaction");
        }
        LexingSettings.check(st, sink, where);
        if (st.firstWord().equals("DO") || st.firstWord().equals("CREATE")) {
            nested.push(st); // scanned by the loop in scanRoutine, not by recursion
        }
    }

    private static TokenRange sub(TokenRange r, int from, int to) {
        return new TokenRange(r.tokens, r.from + from, r.from + to, r.offsetMap());
    }
}
