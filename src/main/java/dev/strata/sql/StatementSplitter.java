package dev.strata.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a psql script into statements where psql would send them (psql's {@code psqlscan.l}): at a
 * ';' outside parentheses and outside the {@code BEGIN … END} body of a {@code CREATE [OR REPLACE]
 * FUNCTION|PROCEDURE}, at query-sending meta-commands ({@code \g}, {@code \gset}, …), and at EOF.
 */
final class StatementSplitter {

    /** Meta-commands that send the query buffer (psql's command.c). */
    private static final List<String> SEND_COMMANDS =
            List.of("g", "gx", "gset", "gexec", "gdesc", "crosstabview", "watch", "G");

    private final String sql;
    private final LineIndex lines;
    private final boolean copyData;
    private final SqlLexer lexer;
    final TokenBuffer tokens;
    final List<SqlStatement> statements = new ArrayList<>();
    /** Token index range {@code [first, end)} of each statement, parallel to {@link #statements}. */
    int[] firstToken = new int[16];
    int[] endToken = new int[16];
    final List<MetaCommand> metaCommands = new ArrayList<>();
    final List<LexicalProblem> problems = new ArrayList<>();
    /** Offset of a top-level {@code \q} after which psql reads nothing, or -1. */
    int quitOffset = -1;

    // psql's per-statement state: paren_depth, begin_depth, identifier_count, identifiers[4]
    private int current = -1;
    private int parenDepth;
    private int beginDepth;
    private int identCount;
    private final char[] idents = new char[4];
    private int ifDepth;
    /** COPY FROM STDIN statements in the query buffer psql has not sent yet (joined by \\;). */
    private int pendingCopies;

    StatementSplitter(String sql, LineIndex lines, boolean copyData) {
        this.sql = sql;
        this.lines = lines;
        this.copyData = copyData;
        char[] chars = sql.toCharArray();
        this.lexer = new SqlLexer(sql, chars, 0, sql.length(), true);
        this.tokens = new TokenBuffer(sql, chars, sql.length() / 5);
    }

    StatementSplitter run() {
        TokenBuffer tb = tokens;
        SqlLexer lx = lexer;
        for (int k = lx.next(); k != SqlLexer.EOF; k = lx.next()) {
            if (lx.unterminated() && k != TokenKind.COPY_DATA.ordinal()) {
                problems.add(new LexicalProblem(describe(k), lx.tokenStart(),
                        lines.positionOf(lx.tokenStart())));
            }
            if (k == TokenKind.COMMENT.ordinal() || k == TokenKind.COPY_DATA.ordinal()) {
                continue;
            }
            if (k == TokenKind.META_COMMAND.ordinal()) {
                if (!metaCommand(lx.tokenStart(), lx.tokenEnd())) {
                    break;
                }
                continue;
            }
            int idx = tb.add(k, lx.tokenStart(), lx.tokenEnd());
            if (current < 0) {
                current = idx;
            }
            if (k == TokenKind.SEMICOLON.ordinal()) {
                if (parenDepth == 0 && beginDepth == 0) {
                    finish(idx, lx.tokenStart(), true);
                }
            } else if (k == TokenKind.LPAREN.ordinal()) {
                parenDepth++;
            } else if (k == TokenKind.RPAREN.ordinal()) {
                if (parenDepth > 0) {
                    parenDepth--;
                }
            } else if (k == TokenKind.WORD.ordinal()) {
                word(idx);
            }
        }
        if (current >= 0 && quitOffset < 0) {
            finish(tb.size(), -1, true);
        }
        return this;
    }

    /**
     * psql tracks BEGIN/CASE/END only after CREATE [OR REPLACE] FUNCTION|PROCEDURE, so that the
     * semicolons of a SQL-standard body ({@code BEGIN ATOMIC … END}) do not end the statement.
     */
    private void word(int idx) {
        TokenBuffer tb = tokens;
        if (identCount == 0) {
            idents[0] = idents[1] = idents[2] = idents[3] = 0;
        }
        int start = tb.start(idx);
        int length = tb.end(idx) - start;
        // cheap length/first-letter filter before the case-insensitive comparisons: this runs per word
        char first = (char) (sql.charAt(start) | 0x20);
        if (identCount < 4 && length >= 2 && length <= 9 && (first == 'c' || first == 'f' || first == 'p'
                || first == 'o' || first == 'r')) {
            if (tb.isWord(idx, "CREATE") || tb.isWord(idx, "FUNCTION") || tb.isWord(idx, "PROCEDURE")
                    || tb.isWord(idx, "OR") || tb.isWord(idx, "REPLACE")) {
                idents[identCount] = first;
            }
        }
        identCount++;
        if (idents[0] == 'c' && parenDepth == 0 && length >= 3 && length <= 5
                && (idents[1] == 'f' || idents[1] == 'p'
                    || (idents[1] == 'o' && idents[2] == 'r' && (idents[3] == 'f' || idents[3] == 'p')))) {
            if (tb.isWord(idx, "BEGIN")) {
                beginDepth++;
            } else if (tb.isWord(idx, "CASE")) {
                if (beginDepth >= 1) {
                    beginDepth++;
                }
            } else if (tb.isWord(idx, "END")) {
                if (beginDepth > 0) {
                    beginDepth--;
                }
            }
        }
    }

    /** Handles a meta-command; returns false when psql would stop reading ({@code \q}). */
    private boolean metaCommand(int start, int end) {
        String name = metaName(start, end);
        metaCommands.add(new MetaCommand(start, end, lines.positionOf(start), name,
                sql.substring(start, end)));
        if (name.equals(";")) {
            if (current >= 0) {
                finish(tokens.size(), -1, false);
            }
        } else if (SEND_COMMANDS.contains(name)) {
            if (current >= 0 || pendingCopies > 0) {
                finish(tokens.size(), -1, true);
            }
        } else if (name.equals("r") || name.equals("reset")) {
            resetStatement();
        } else if (name.equals("copy")) {
            if (copyData && isCopyFromStdinMeta(start, end)) {
                lexer.armCopyData(1);
            }
        } else if (name.equals("if")) {
            ifDepth++;
        } else if (name.equals("endif")) {
            if (ifDepth > 0) {
                ifDepth--;
            }
        } else if ((name.equals("q") || name.equals("quit")) && ifDepth == 0) {
            resetStatement();
            quitOffset = start;
            return false;
        }
        return true;
    }

    private String metaName(int start, int end) {
        if (start + 1 < sql.length() && (end - start <= 2)
                && (sql.charAt(start + 1) == ';' || sql.charAt(start + 1) == ':')) {
            return String.valueOf(sql.charAt(start + 1));
        }
        int q = start + 1;
        while (q < end && !SqlChars.isSpace(sql.charAt(q)) && sql.charAt(q) != '\\') {
            q++;
        }
        return sql.substring(start + 1, q);
    }

    private boolean isCopyFromStdinMeta(int start, int end) {
        SqlLexer lx = new SqlLexer(sql, tokens.chars(), start + 5, end, false);
        boolean from = false;
        for (int k = lx.next(); k != SqlLexer.EOF; k = lx.next()) {
            boolean word = k == TokenKind.WORD.ordinal();
            int len = lx.tokenEnd() - lx.tokenStart();
            if (from && word && len == 5 && sql.regionMatches(true, lx.tokenStart(), "STDIN", 0, 5)) {
                return true;
            }
            from = word && len == 4 && sql.regionMatches(true, lx.tokenStart(), "FROM", 0, 4);
        }
        return false;
    }

    private void resetStatement() {
        pendingCopies = 0;
        current = -1;
        parenDepth = 0;
        beginDepth = 0;
        identCount = 0;
    }

    /**
     * Closes the current statement at token index {@code endIdx} (exclusive); {@code send} when
     * psql sends its query buffer here (not at {@code \\;}), which is when COPY data starts.
     */
    private void finish(int endIdx, int terminatorOffset, boolean send) {
        int first = current;
        int copies = pendingCopies;
        resetStatement();
        if (first < 0 || first >= endIdx) {
            if (send && copies > 0 && copyData) {
                lexer.armCopyData(copies); // only ';': an empty statement, psql sends nothing else
            }
            return;
        }
        TokenBuffer tb = tokens;
        int start = tb.start(first);
        int end = tb.end(endIdx - 1);
        int wordCount = 0;
        while (wordCount < 5 && first + wordCount < endIdx && tb.is(first + wordCount, TokenKind.WORD)) {
            wordCount++;
        }
        String[] words = new String[wordCount];
        for (int i = 0; i < wordCount; i++) {
            words[i] = tb.upperWord(first + i);
        }
        boolean copy = isCopyFromStdin(first, endIdx);
        int n = statements.size();
        if (n == firstToken.length) {
            firstToken = java.util.Arrays.copyOf(firstToken, n * 2);
            endToken = java.util.Arrays.copyOf(endToken, n * 2);
        }
        firstToken[n] = first;
        endToken[n] = endIdx;
        statements.add(new SqlStatement(start, end, lines.positionOf(start), sql.substring(start, end),
                List.of(words), terminatorOffset, copy));
        copies += copy ? 1 : 0;
        if (!send) {
            pendingCopies = copies;
        } else if (copies > 0 && copyData) {
            lexer.armCopyData(copies);
        }
    }

    /** COPY table … FROM STDIN: the FROM STDIN pair outside parentheses. */
    private boolean isCopyFromStdin(int first, int endIdx) {
        TokenBuffer tb = tokens;
        if (!tb.isWord(first, "COPY")) {
            return false;
        }
        if (tb.is(first + 1, TokenKind.LPAREN)) {
            return false; // COPY (query) only goes TO
        }
        int depth = 0;
        for (int i = first + 1; i < endIdx - 1; i++) {
            if (tb.is(i, TokenKind.LPAREN)) {
                depth++;
            } else if (tb.is(i, TokenKind.RPAREN)) {
                depth--;
            } else if (depth == 0 && tb.isWord(i, "FROM") && (tb.isWord(i + 1, "STDIN") || tb.isWord(i + 1, "STDOUT"))) {
                // the server treats FROM STDOUT like FROM STDIN: the client must send data
                return true;
            }
        }
        return false;
    }

    private static String describe(int kind) {
        TokenKind k = TokenKind.values()[kind];
        switch (k) {
            case STRING:
                return "string literal";
            case QUOTED_IDENT:
                return "quoted identifier";
            case DOLLAR_STRING:
                return "dollar-quoted string";
            case COMMENT:
                return "block comment";
            case COPY_DATA:
                return "COPY data (no terminating \\. line)";
            default:
                return k.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
