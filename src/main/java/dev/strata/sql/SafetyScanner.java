package dev.strata.sql;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a parsed migration file against Strata's safety rules ({@link Rule}) without a database:
 * psql-only constructs, lexical problems, transaction control, statements PostgreSQL refuses in a
 * transaction block, destructive statements (also inside DO blocks and routine bodies) and
 * lock-heavy DDL. Stateless and thread-safe.
 */
public final class SafetyScanner {

    /**
     * Returns the findings for {@code script} under {@code options}, ordered by line and column;
     * allowed rules are omitted and promoted warnings come back as errors. Never throws on bad SQL.
     */
    public List<Finding> scan(SqlScript script, ScanOptions options) {
        return scan(script, options, new ColumnTypes());
    }

    /**
     * Like {@link #scan(SqlScript, ScanOptions)}, comparing type changes with the column types
     * declared earlier in {@code known} (earlier files of the same scan, in plan order) and
     * recording this file's declarations there.
     */
    public List<Finding> scan(SqlScript script, ScanOptions options, ColumnTypes known) {
        FindingSink sink = new FindingSink(script, options);
        for (LexicalProblem p : script.problems()) {
            sink.report(Rule.UNTERMINATED, p.offset(), "unterminated " + p.what() + " runs to the end of the file");
        }
        for (MetaCommand m : script.metaCommands()) {
            sink.report(Rule.PSQL_META_COMMAND, m.start(), "psql meta-command \\" + m.name() + " is not SQL");
        }
        Set<String> createdTables = new HashSet<>();
        StatementRules rules = new StatementRules(sink, createdTables, known);
        BodyScanner bodies = new BodyScanner(sink, script.tokens().source().length());
        List<SqlStatement> statements = script.statements();
        for (int i = 0; i < statements.size(); i++) {
            if (script.isWrapperStatement(i)) {
                continue;
            }
            SqlStatement statement = statements.get(i);
            TokenRange st = new TokenRange(script.tokens(), script.firstToken(i), script.endToken(i), null);
            if (statement.copyFromStdin()) {
                sink.report(Rule.COPY_FROM_STDIN, statement.start(),
                        "COPY … FROM STDIN needs psql to send the data that follows it");
                continue;
            }
            rules.check(st);
            LexingSettings.check(st, sink, "");
            bodies.scanRoutine(st);
        }
        List<Finding> findings = sink.findings();
        findings.sort(Comparator.comparingInt(Finding::line).thenComparingInt(Finding::column));
        return findings;
    }
}
