package dev.strata.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Streaming lexer for PostgreSQL SQL (PostgreSQL docs, "SQL Syntax → Lexical Structure", and the
 * backend's {@code scan.l}); in psql mode it also recognises backslash meta-commands and COPY data
 * the way psql's {@code psqlscan.l} does. It never throws: input cut off inside a literal or
 * comment yields a token with {@link #unterminated()} set.
 *
 * <p>Assumes {@code standard_conforming_strings = on} (the default since PostgreSQL 9.1), so a
 * backslash is an ordinary character in '…' and only escapes in E'…'.
 */
public final class SqlLexer {

    static final int EOF = -1;
    private static final TokenKind[] KINDS = TokenKind.values();

    private final String s;
    /** The same text as {@link #s}: array access is markedly faster than String.charAt here. */
    private final char[] cs;
    private final int limit;
    private final boolean psql;
    private int pos;
    private int copyBlocks;

    private int tokenStart;
    private int tokenEnd;
    private boolean unterminated;

    /**
     * Lexes {@code s} in {@code [from, to)}; offsets stay relative to {@code s} so tokens found in a
     * function body map straight back to the file. {@code psql} enables meta-commands and COPY data.
     */
    SqlLexer(String s, char[] chars, int from, int to, boolean psql) {
        this.s = s;
        this.cs = chars;
        this.pos = from;
        this.limit = to;
        this.psql = psql;
        if (from == 0 && to > 0 && cs[0] == '\uFEFF') {
            pos = 1; // a UTF-8 byte-order mark is not part of the SQL
        }
    }

    /** Tokenizes a whole psql script, comments and meta-commands included; never throws. */
    public static List<Token> tokenize(String sql) {
        SqlLexer lexer = new SqlLexer(sql, sql.toCharArray(), 0, sql.length(), true);
        List<Token> tokens = new ArrayList<>();
        for (int k = lexer.next(); k != EOF; k = lexer.next()) {
            tokens.add(new Token(KINDS[k], lexer.tokenStart, lexer.tokenEnd, lexer.unterminated));
        }
        return tokens;
    }

    int tokenStart() {
        return tokenStart;
    }

    int tokenEnd() {
        return tokenEnd;
    }

    boolean unterminated() {
        return unterminated;
    }

    /** Tells the lexer that psql will read {@code blocks} COPY data blocks from the next newline on. */
    void armCopyData(int blocks) {
        copyBlocks += blocks;
    }

    /** Advances to the next token and returns its {@link TokenKind} ordinal, or {@link #EOF}. */
    int next() {
        final char[] cs = this.cs;
        final int n = limit;
        int p = pos;
        while (p < n) {
            char c = cs[p];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000B') {
                p++;
            } else if (c == '\n') {
                p++;
                if (copyBlocks > 0) {
                    if (p < n) {
                        return copyData(p);
                    }
                }
            } else {
                break;
            }
        }
        if (p >= n) {
            pos = n;
            return EOF;
        }
        tokenStart = p;
        unterminated = false;
        char c = cs[p];
        char c1 = p + 1 < n ? cs[p + 1] : '\0';
        switch (c) {
            case '-':
                if (c1 == '-') {
                    return lineComment(p);
                }
                return operator(p);
            case '/':
                if (c1 == '*') {
                    return blockComment(p);
                }
                return operator(p);
            case '\'':
                return quoted(p + 1, STANDARD);
            case '"':
                return quotedIdent(p + 1);
            case '$':
                return dollar(p);
            case '(':
                return single(p, TokenKind.LPAREN);
            case ')':
                return single(p, TokenKind.RPAREN);
            case '[':
                return single(p, TokenKind.LBRACKET);
            case ']':
                return single(p, TokenKind.RBRACKET);
            case ',':
                return single(p, TokenKind.COMMA);
            case ';':
                return single(p, TokenKind.SEMICOLON);
            case ':':
                if (c1 == ':') {
                    return finish(p + 2, TokenKind.TYPECAST);
                }
                if (c1 == '=') {
                    return finish(p + 2, TokenKind.OPERATOR);
                }
                return single(p, TokenKind.COLON);
            case '.':
                if (c1 == '.') {
                    return finish(p + 2, TokenKind.OPERATOR);
                }
                if (SqlChars.isDigit(c1)) {
                    return number(p);
                }
                return single(p, TokenKind.DOT);
            case '\\':
                if (psql) {
                    return backslash(p);
                }
                return single(p, TokenKind.OTHER);
            default:
                break;
        }
        if (SqlChars.isIdentStart(c)) {
            return wordOrPrefixedString(p, c, c1);
        }
        if (SqlChars.isDigit(c)) {
            return number(p);
        }
        if (SqlChars.isOpChar(c)) {
            return operator(p);
        }
        return single(p, TokenKind.OTHER);
    }

    private int single(int p, TokenKind kind) {
        return finish(p + 1, kind);
    }

    private int finish(int end, TokenKind kind) {
        tokenEnd = end;
        pos = end;
        return kind.ordinal();
    }

    private int finishUnterminated(TokenKind kind) {
        unterminated = true;
        return finish(limit, kind);
    }

    private int lineComment(int p) {
        int q = p + 2;
        while (q < limit) {
            char c = cs[q];
            if (c == '\n' || c == '\r') {
                break;
            }
            q++;
        }
        return finish(q, TokenKind.COMMENT);
    }

    /** Block comments nest in PostgreSQL, unlike the SQL standard's. */
    private int blockComment(int p) {
        int depth = 1;
        int q = p + 2;
        while (q < limit) {
            char c = cs[q];
            if (c == '*' && q + 1 < limit && cs[q + 1] == '/') {
                q += 2;
                if (--depth == 0) {
                    return finish(q, TokenKind.COMMENT);
                }
            } else if (c == '/' && q + 1 < limit && cs[q + 1] == '*') {
                depth++;
                q += 2;
            } else {
                q++;
            }
        }
        return finishUnterminated(TokenKind.COMMENT);
    }

    private static final int STANDARD = 0;
    private static final int ESCAPE = 1;
    private static final int BIT = 2;

    /**
     * Scans a quoted string whose body starts at {@code q}; {@code ''} is a quote except in B'…'
     * and X'…', and two literals separated by whitespace containing a newline are one constant.
     */
    private int quoted(int q, int style) {
        final int n = limit;
        while (q < n) {
            char c = cs[q];
            if (c == '\'') {
                if (style != BIT && q + 1 < n && cs[q + 1] == '\'') {
                    q += 2;
                    continue;
                }
                int next = continuation(q + 1);
                if (next < 0) {
                    return finish(q + 1, TokenKind.STRING);
                }
                q = next;
            } else if (c == '\\' && style == ESCAPE) {
                q += 2;
            } else {
                q++;
            }
        }
        return finishUnterminated(TokenKind.STRING);
    }

    /**
     * Returns the offset after the opening quote of a continuation literal starting at {@code q},
     * or -1; scan.l: {@code {whitespace_with_newline}{quote}}, where comments count as whitespace.
     */
    private int continuation(int q) {
        final int n = limit;
        boolean newline = false;
        while (q < n) {
            char c = cs[q];
            if (c == ' ' || c == '\t' || c == '\f' || c == '\u000B') {
                q++;
            } else if (c == '\n' || c == '\r') {
                newline = true;
                q++;
            } else if (c == '-' && q + 1 < n && cs[q + 1] == '-') {
                while (q < n && cs[q] != '\n' && cs[q] != '\r') {
                    q++;
                }
            } else {
                break;
            }
        }
        return newline && q < n && cs[q] == '\'' ? q + 1 : -1;
    }

    private int quotedIdent(int q) {
        final int n = limit;
        while (q < n) {
            if (cs[q] == '"') {
                if (q + 1 < n && cs[q + 1] == '"') {
                    q += 2;
                    continue;
                }
                return finish(q + 1, TokenKind.QUOTED_IDENT);
            }
            q++;
        }
        return finishUnterminated(TokenKind.QUOTED_IDENT);
    }

    /** {@code $tag$} opens a dollar quote, {@code $1} is a parameter, a lone {@code $} is a char. */
    private int dollar(int p) {
        int tagEnd = dollarTagEnd(p);
        if (tagEnd > 0) {
            int q = tagEnd;
            int tagLength = tagEnd - p;
            final int n = limit;
            while (q < n) {
                int dollarAt = indexOf('$', q);
                if (dollarAt < 0) {
                    break;
                }
                int close = dollarTagEnd(dollarAt);
                if (close > 0) {
                    if (close - dollarAt == tagLength && sameChars(dollarAt, p, tagLength)) {
                        return finish(close, TokenKind.DOLLAR_STRING);
                    }
                    q = close - 1; // the closing '$' of a foreign tag may open the real one
                } else {
                    q = dollarAt + 1;
                }
            }
            return finishUnterminated(TokenKind.DOLLAR_STRING);
        }
        int q = p + 1;
        if (q < limit && SqlChars.isDigit(cs[q])) {
            while (q < limit && SqlChars.isDigit(cs[q])) {
                q++;
            }
            return finish(q, TokenKind.PARAM);
        }
        return single(p, TokenKind.OTHER);
    }

    /** Returns the offset after a dollar-quote delimiter starting at {@code p}, or -1. */
    private int dollarTagEnd(int p) {
        int q = p + 1;
        if (q < limit && SqlChars.isIdentStart(cs[q])) {
            q++;
            while (q < limit && SqlChars.isDollarTagCont(cs[q])) {
                q++;
            }
        }
        return q < limit && cs[q] == '$' ? q + 1 : -1;
    }

    private int wordOrPrefixedString(int p, char c, char c1) {
        if (c1 == '\'') {
            switch (c) {
                case 'b', 'B', 'x', 'X':
                    return quoted(p + 2, BIT);
                case 'e', 'E':
                    return quoted(p + 2, ESCAPE);
                case 'n', 'N':
                    return quoted(p + 2, STANDARD);
                default:
                    break;
            }
        }
        if ((c == 'u' || c == 'U') && c1 == '&' && p + 2 < limit) {
            char c2 = cs[p + 2];
            if (c2 == '\'') {
                return quoted(p + 3, STANDARD);
            }
            if (c2 == '"') {
                return quotedIdent(p + 3);
            }
        }
        int q = p + 1;
        while (q < limit && SqlChars.isIdentCont(cs[q])) {
            q++;
        }
        return finish(q, TokenKind.WORD);
    }

    /**
     * Numeric constants incl. PostgreSQL 16's hex/octal/binary forms and underscores; trailing
     * identifier characters are swallowed as PostgreSQL 15+ reports them as "trailing junk".
     */
    private int number(int p) {
        final int n = limit;
        int q = p;
        while (q < n) {
            char c = cs[q];
            if (c == '.') {
                if (q + 1 < n && cs[q + 1] == '.') {
                    break; // 1..10 is a range in PL/pgSQL FOR loops
                }
                q++;
            } else if ((c == 'e' || c == 'E') && q + 1 < n
                    && (cs[q + 1] == '+' || cs[q + 1] == '-')) {
                q += 2;
            } else if (SqlChars.isDigit(c) || SqlChars.isIdentStart(c)) {
                q++;
            } else {
                break;
            }
        }
        return finish(q, TokenKind.NUMBER);
    }

    /** Operators end per scan.l's rules, see {@link SqlChars#operatorEnd}. */
    private int operator(int p) {
        return finish(SqlChars.operatorEnd(cs, p, limit), TokenKind.OPERATOR);
    }

    /**
     * A backslash outside literals starts a psql meta-command (psqlscan.l); {@code \;} and
     * {@code \:} only put a literal ';' or ':' into the query buffer.
     */
    private int backslash(int p) {
        return finish(PsqlSyntax.metaCommandEnd(cs, p, limit), TokenKind.META_COMMAND);
    }

    /**
     * psql reads COPY FROM STDIN data up to a line consisting of {@code \.} (or EOF), once per
     * COPY FROM STDIN in the query buffer it just sent.
     */
    private int copyData(int from) {
        tokenStart = from;
        unterminated = false;
        int p = from;
        final int n = limit;
        while (p < n && copyBlocks > 0) {
            int e = indexOf('\n', p);
            if (e < 0) {
                e = n;
            }
            int lineEnd = e > p && cs[e - 1] == '\r' ? e - 1 : e;
            if (lineEnd - p == 2 && cs[p] == '\\' && cs[p + 1] == '.') {
                copyBlocks--;
                tokenEnd = lineEnd;
            }
            p = Math.min(e + 1, n);
        }
        if (copyBlocks > 0) {
            unterminated = true;
            copyBlocks = 0;
            tokenEnd = n;
        }
        pos = p;
        return TokenKind.COPY_DATA.ordinal();
    }

    /** Index of {@code c} in {@code [from, limit)}, or -1. */
    private int indexOf(char c, int from) {
        final char[] cs = this.cs;
        for (int i = from; i < limit; i++) {
            if (cs[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private boolean sameChars(int a, int b, int length) {
        for (int k = 0; k < length; k++) {
            if (cs[a + k] != cs[b + k]) {
                return false;
            }
        }
        return true;
    }
}
