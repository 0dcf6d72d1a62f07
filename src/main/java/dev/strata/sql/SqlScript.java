package dev.strata.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A SQL migration file split into statements the way {@code psql -f} would, with the psql-only
 * constructs (meta-commands, COPY data) and lexical problems it contains, and the optional
 * {@code BEGIN; … COMMIT;} wrapper recognised. Offsets are Java char indices into {@link #sql()}.
 */
public final class SqlScript {

    private final String fileName;
    private final String sql;
    private final LineIndex lines;
    private final List<SqlStatement> statements;
    private final List<MetaCommand> metaCommands;
    private final List<LexicalProblem> problems;
    private final int quitOffset;
    private final TokenBuffer tokens;
    private final int[] firstToken;
    private final int[] endToken;
    private final boolean wrapper;

    private SqlScript(String fileName, String sql, LineIndex lines, StatementSplitter split) {
        this.fileName = fileName;
        this.sql = sql;
        this.lines = lines;
        this.statements = Collections.unmodifiableList(split.statements);
        this.metaCommands = Collections.unmodifiableList(split.metaCommands);
        this.problems = Collections.unmodifiableList(split.problems);
        this.quitOffset = split.quitOffset;
        this.tokens = split.tokens;
        this.firstToken = split.firstToken;
        this.endToken = split.endToken;
        this.wrapper = detectWrapper();
    }

    /**
     * Splits {@code sql} (the content of {@code fileName}, a name used in messages only) like
     * {@code psql -f}, treating lines after {@code COPY … FROM STDIN} as data; never throws on bad
     * SQL (problems are reported by {@link #problems()}).
     */
    public static SqlScript parse(String fileName, String sql) {
        return parse(fileName, sql, true);
    }

    /**
     * Like {@link #parse(String, String)}; with {@code copyDataFollows == false} the lines after a
     * {@code COPY … FROM STDIN} are lexed as SQL (for files whose COPY data was stripped).
     */
    public static SqlScript parse(String fileName, String sql, boolean copyDataFollows) {
        LineIndex lines = new LineIndex(sql);
        StatementSplitter split = new StatementSplitter(sql, lines, copyDataFollows).run();
        return new SqlScript(fileName, sql, lines, split);
    }

    /** Splits {@code sql} into statements like {@code psql -f}; see {@link #parse(String, String)}. */
    public static List<SqlStatement> split(String sql) {
        return parse("<sql>", sql).statements();
    }

    /** The file name given to {@link #parse(String, String)}. */
    public String fileName() {
        return fileName;
    }

    /** The script text exactly as given. */
    public String sql() {
        return sql;
    }

    /** All statements in file order, wrapper statements included. */
    public List<SqlStatement> statements() {
        return statements;
    }

    /** psql meta-commands found outside literals, in file order. */
    public List<MetaCommand> metaCommands() {
        return metaCommands;
    }

    /** Literals, identifiers or comments left open at the end of the file. */
    public List<LexicalProblem> problems() {
        return problems;
    }

    /** Offset of a top-level {@code \q} (psql ignores the rest of the file), or -1. */
    public int quitOffset() {
        return quitOffset;
    }

    /** The 1-based line:column of a char offset into {@link #sql()} (binary search, O(log lines)). */
    public SourcePosition positionOf(int charOffset) {
        return lines.positionOf(charOffset);
    }

    /**
     * True when the first statement is a bare {@code BEGIN [WORK|TRANSACTION]} or
     * {@code START TRANSACTION} and the last a bare {@code COMMIT|END [WORK|TRANSACTION]}: the
     * wrapper the old migration template wrote, which Strata replaces by its own transaction.
     */
    public boolean hasTransactionWrapper() {
        return wrapper;
    }

    /**
     * {@link #sql()} with the wrapper statements and their ';' blanked to spaces (line breaks
     * kept) so offsets and line:column stay valid; equal to {@link #sql()} without a wrapper.
     * Meta-commands and COPY data are left in place: run {@link SafetyScanner} first, which
     * refuses files containing them.
     */
    public String executableSql() {
        if (!wrapper) {
            return sql;
        }
        char[] chars = sql.toCharArray();
        blank(chars, statements.get(0));
        blank(chars, statements.get(statements.size() - 1));
        return new String(chars);
    }

    /** The statements without the transaction wrapper ones. */
    public List<SqlStatement> executableStatements() {
        if (!wrapper) {
            return statements;
        }
        return statements.subList(1, statements.size() - 1);
    }

    /** Whether the statement at {@code statementIndex} (into {@link #statements()}) is one of the two wrapper statements. */
    public boolean isWrapperStatement(int statementIndex) {
        return wrapper && (statementIndex == 0 || statementIndex == statements.size() - 1);
    }

    TokenBuffer tokens() {
        return tokens;
    }

    int firstToken(int statementIndex) {
        return firstToken[statementIndex];
    }

    int endToken(int statementIndex) {
        return endToken[statementIndex];
    }

    private static void blank(char[] chars, SqlStatement st) {
        for (int i = st.start(); i < st.endIncludingTerminator(); i++) {
            if (chars[i] != '\n' && chars[i] != '\r') {
                chars[i] = ' ';
            }
        }
    }

    private boolean detectWrapper() {
        int n = statements.size();
        if (n < 2) {
            return false;
        }
        return isBareTransactionStatement(0, true) && isBareTransactionStatement(n - 1, false);
    }

    /** Only the bare forms: options such as ISOLATION LEVEL or AND CHAIN change semantics. */
    private boolean isBareTransactionStatement(int index, boolean opening) {
        int first = firstToken[index];
        int count = endToken[index] - first;
        List<String> w = new ArrayList<>(statements.get(index).leadingWords());
        if (w.size() != count) {
            return false;
        }
        if (opening) {
            return w.equals(List.of("BEGIN")) || w.equals(List.of("BEGIN", "WORK"))
                    || w.equals(List.of("BEGIN", "TRANSACTION")) || w.equals(List.of("START", "TRANSACTION"));
        }
        return w.equals(List.of("COMMIT")) || w.equals(List.of("COMMIT", "WORK"))
                || w.equals(List.of("COMMIT", "TRANSACTION")) || w.equals(List.of("END"))
                || w.equals(List.of("END", "WORK")) || w.equals(List.of("END", "TRANSACTION"));
    }
}
