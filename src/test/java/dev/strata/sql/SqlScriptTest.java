package dev.strata.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

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
}
