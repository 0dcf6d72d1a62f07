package dev.strata.sql;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SqlScriptTest {

    private static List<String> texts(String sql) {
        return SqlScript.split(sql).stream().map(SqlStatement::text).collect(Collectors.toList());
    }

    @Test
    void splitsAtTopLevelSemicolons() {
        assertThat(texts("select 1; select (2;3);\n-- c\n select 'a;b'; ;; select 4"))
                .containsExactly("select 1", "select (2;3)", "select 'a;b'", "select 4");
    }

    @Test
    void offsetsExcludeLeadingCommentsAndTerminator() {
        String sql = "/* head */ -- x\n  create table t (a int) /* tail */ ;";
        SqlStatement st = SqlScript.split(sql).get(0);
        assertThat(sql.substring(st.start(), st.end())).isEqualTo("create table t (a int)");
        assertThat(st.position()).isEqualTo(new SourcePosition(2, 3));
        assertThat(st.terminatorOffset()).isEqualTo(sql.length() - 1);
        assertThat(st.leadingWords()).containsExactly("CREATE", "TABLE", "T");
    }

    @Test
    void beginAtomicBodyIsOneStatement() {
        String sql = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
                + "  SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\n  SELECT 3;\nEND;\nselect f(1);";
        assertThat(texts(sql)).hasSize(2);
        assertThat(texts(sql).get(1)).isEqualTo("select f(1)");
    }

    @Test
    void plainBeginIsNotABody() {
        assertThat(texts("BEGIN; select 1; COMMIT;")).containsExactly("BEGIN", "select 1", "COMMIT");
    }

    @Test
    void dollarQuotedBodiesDoNotSplit() {
        assertThat(texts("DO $$ BEGIN PERFORM 1; END $$; select 2")).hasSize(2);
    }

    @Test
    void metaCommandsAreReportedAndSendCommandsEndStatements() {
        SqlScript s = SqlScript.parse("m.sql", "\\set ON_ERROR_STOP 1\nselect 1 as x \\gset\nselect :x;\n");
        assertThat(s.statements()).extracting(SqlStatement::text).containsExactly("select 1 as x", "select :x");
        assertThat(s.metaCommands()).extracting(MetaCommand::name).containsExactly("set", "gset");
        assertThat(s.metaCommands().get(1).position()).isEqualTo(new SourcePosition(2, 15));
    }

    @Test
    void copyFromStdinDataIsSkipped() {
        String sql = "COPY t (a, b) FROM stdin;\n1\tx; y\n2\t'z\n\\.\nselect 1;";
        SqlScript s = SqlScript.parse("c.sql", sql);
        assertThat(s.statements()).extracting(SqlStatement::text).containsExactly("COPY t (a, b) FROM stdin", "select 1");
        assertThat(s.statements().get(0).copyFromStdin()).isTrue();
        assertThat(s.problems()).isEmpty();
    }

    @Test
    void copyToStdoutIsNotFollowedByData() {
        SqlScript s = SqlScript.parse("c.sql", "COPY (select 1 from stdin) TO stdout;\nselect 1;");
        assertThat(s.statements()).hasSize(2);
        assertThat(s.statements().get(0).copyFromStdin()).isFalse();
    }

    @Test
    void unterminatedLiteralIsReportedNotThrown() {
        SqlScript s = SqlScript.parse("u.sql", "select 1;\nselect 'abc;\nselect 2;");
        assertThat(s.statements()).hasSize(2);
        assertThat(s.statements().get(1).end()).isEqualTo(s.sql().length());
        assertThat(s.problems()).singleElement().satisfies(p -> {
            assertThat(p.what()).isEqualTo("string literal");
            assertThat(p.position()).isEqualTo(new SourcePosition(2, 8));
        });
    }

    @Test
    void positionsHandleCrLfAndBom() {
        String sql = "\uFEFFselect 1;\r\n  select 2;\rselect 3;";
        SqlScript s = SqlScript.parse("p.sql", sql);
        assertThat(s.statements()).extracting(SqlStatement::position).containsExactly(
                new SourcePosition(1, 1), new SourcePosition(2, 3), new SourcePosition(3, 1));
    }

    @Test
    void transactionWrapperIsBlankedKeepingOffsets() {
        String sql = "BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n";
        SqlScript s = SqlScript.parse("w.sql", sql);
        assertThat(s.hasTransactionWrapper()).isTrue();
        assertThat(s.executableSql()).isEqualTo("      \nCREATE TABLE t (a int);\n       \n");
        assertThat(s.executableStatements()).extracting(SqlStatement::text).containsExactly("CREATE TABLE t (a int)");
    }

    @Test
    void wrapperNeedsBareBeginAndCommit() {
        assertThat(SqlScript.parse("a", "BEGIN ISOLATION LEVEL SERIALIZABLE; select 1; COMMIT;").hasTransactionWrapper()).isFalse();
        assertThat(SqlScript.parse("a", "START TRANSACTION; select 1; END WORK").hasTransactionWrapper()).isTrue();
        assertThat(SqlScript.parse("a", "BEGIN; select 1;").hasTransactionWrapper()).isFalse();
        assertThat(SqlScript.parse("a", "select 1; COMMIT;").executableSql()).isEqualTo("select 1; COMMIT;");
    }

    @Test
    void escapedSemicolonSeparatesStatementsAndCopyDataFollowsTheSentBuffer() {
        String sql = "SELECT 1 \\;\nCOPY t FROM STDIN \\;\nSELECT 2;\nrow 1\n\\.\nSELECT 3;";
        SqlScript s = SqlScript.parse("e.sql", sql);
        assertThat(s.statements()).extracting(SqlStatement::text)
                .containsExactly("SELECT 1", "COPY t FROM STDIN", "SELECT 2", "SELECT 3");
        assertThat(s.metaCommands()).extracting(MetaCommand::name).containsExactly(";", ";");
    }

    @Test
    void copyFromStdoutAlsoReadsDataAndCopyQueryNever() {
        assertThat(texts("copy t from stdout;\n1\n\\.\nselect 1;")).containsExactly("copy t from stdout", "select 1");
        assertThat(texts("copy (select 1) from stdin;\nselect 2;")).hasSize(2);
    }

    @Test
    void copyDataIsNotSkippedWhenTheFileHadItStripped() {
        SqlScript s = SqlScript.parse("s.sql", "COPY t FROM stdin;\nselect 1;", false);
        assertThat(s.statements()).extracting(SqlStatement::text).containsExactly("COPY t FROM stdin", "select 1");
    }

    @Test
    void resetDiscardsTheBufferAndQuitStopsReading() {
        SqlScript s = SqlScript.parse("q.sql", "select 1\n\\r\nselect 2;\n\\q\nselect 3;");
        assertThat(s.statements()).extracting(SqlStatement::text).containsExactly("select 2");
        assertThat(s.quitOffset()).isPositive();
        assertThat(texts("\\if :x\n\\q\n\\endif\nselect 3;")).containsExactly("select 3");
    }

    @Test
    void metaCommandArgumentsMayQuoteBackslashes() {
        SqlScript s = SqlScript.parse("m.sql", "\\echo 'a \\\\ b' \\\\ select 1;");
        assertThat(s.metaCommands()).hasSize(1);
        assertThat(s.statements()).extracting(SqlStatement::text).containsExactly("select 1");
    }

    @Test
    void unterminatedDollarQuoteAndCommentAreProblems() {
        SqlScript s = SqlScript.parse("d.sql", "select 1;\nDO $x$ BEGIN\n");
        assertThat(s.problems()).extracting(LexicalProblem::what).containsExactly("dollar-quoted string");
        assertThat(SqlScript.parse("c.sql", "select 1; /* open").problems()).extracting(LexicalProblem::what)
                .containsExactly("block comment");
    }

    @Test
    void createOrReplaceProcedureBodyWithNestedCase() {
        String sql = "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC\n"
                + "  INSERT INTO t SELECT CASE WHEN true THEN 1 END; UPDATE t SET a = 1;\nEND;\nSELECT 1;";
        assertThat(texts(sql)).hasSize(2);
        // a column named "begin" in a plain CREATE TABLE does not open a body
        assertThat(texts("CREATE TABLE b (begin int); SELECT 1;")).hasSize(2);
    }
}
