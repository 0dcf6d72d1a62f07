package dev.strata.sql;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks the scanner's alter-column-type classification against PostgreSQL itself: a change the
 * scanner does not report must keep the table's file ({@code pg_relation_filenode} unchanged), and
 * a change it reports as a rewrite must give the table a new file.
 */
@Tag("db")
class TypeChangeRewriteTest {

    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create("type_change");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @ParameterizedTest(name = "{0} -> {1}: rewrite {2}")
    @CsvSource(delimiter = '|', value = {
        "varchar(32)     | varchar(39)    | false",
        "varchar         | text           | false",
        "varchar(10)     | text           | false",
        "text            | varchar        | false",
        "varchar(10)     | varchar        | false",
        "numeric(10,2)   | numeric(12,2)  | false",
        "numeric(10,2)   | numeric        | false",
        "bit varying(4)  | varbit(8)      | false",
        "int             | bigint         | true",
        "varchar(32)     | varchar(16)    | true",
        "numeric(10,2)   | numeric(12,3)  | true",
        "numeric(10,2)   | numeric(9,2)   | true",
        "text            | varchar(10)    | true",
        "char(5)         | text           | true",
        "int             | text           | true",
    })
    void scannerAgreesWithTheServer(String oldType, String newType, boolean rewrite) {
        String table = "t_" + Integer.toHexString((oldType + newType).hashCode()).replace('-', 'm');
        db.query("CREATE TABLE " + table + " (id int, c " + oldType + "); INSERT INTO " + table + " VALUES (1, '1')");
        String before = db.value("SELECT pg_relation_filenode('" + table + "')");
        String alter = "ALTER TABLE " + table + " ALTER COLUMN c TYPE " + newType;
        db.query(alter);
        String after = db.value("SELECT pg_relation_filenode('" + table + "')");
        assertThat(!before.equals(after)).as("server rewrote the table").isEqualTo(rewrite);

        ColumnTypes known = new ColumnTypes();
        SafetyScanner scanner = new SafetyScanner();
        scanner.scan(SqlScript.parse("001_create.sql", "CREATE TABLE " + table + " (id int, c " + oldType + ");"),
                ScanOptions.defaults(), known);
        List<Finding> findings = scanner.scan(SqlScript.parse("002_alter.sql", alter + ";"), ScanOptions.defaults(), known);
        assertThat(findings).extracting(Finding::ruleId)
                .as("scanner findings for " + alter).isEqualTo(rewrite ? List.of("alter-column-type") : List.of());
    }
}
