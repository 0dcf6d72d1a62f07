package dev.strata.catalog;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class SqlFileSectionsTest {

    @Test
    void fileWithoutDownSectionIsReturnedUnchanged() {
        String sql = "CREATE TABLE t (id int);\n";

        assertThat(SqlFileSections.executablePart(sql)).isSameAs(sql);
    }

    @Test
    void dbmateDownSectionIsBlanked() {
        String sql = "-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n";

        String executable = SqlFileSections.executablePart(sql);

        assertThat(executable).isEqualTo("-- migrate:up\nCREATE TABLE t (id int);\n"
                + " ".repeat("-- migrate:down".length()) + "\n" + " ".repeat("DROP TABLE t;".length()) + "\n");
    }

    @Test
    void gooseDownSectionIsBlankedKeepingCrlfLineBreaks() {
        String sql = "-- +goose Up\r\nCREATE TABLE t (id int);\r\n-- +goose Down\r\nDROP TABLE t;\r\n";

        String executable = SqlFileSections.executablePart(sql);

        assertThat(executable).hasSameSizeAs(sql).startsWith("-- +goose Up\r\nCREATE TABLE t (id int);\r\n")
                .doesNotContain("DROP").doesNotContain("goose Down");
        assertThat(executable.chars().filter(c -> c == '\r').count()).isEqualTo(4);
        assertThat(executable.lines().count()).isEqualTo(sql.lines().count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-- migrate:down", "--migrate:down", "  -- MIGRATE:DOWN", "\t-- +goose   down",
            "-- migrate:down transaction:false"})
    void downMarkerSpellings(String marker) {
        String sql = "SELECT 1;\n" + marker + "\nDROP TABLE t;\n";

        assertThat(SqlFileSections.executablePart(sql)).startsWith("SELECT 1;\n").doesNotContain("DROP");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1; -- migrate:down", "-- migrate:downgrade notes", "-- migrate down",
            "-- +goose Downtime is fine", "/* -- migrate:down */"})
    void nearMissMarkersAreNotDownSections(String line) {
        String sql = "SELECT 1;\n" + line + "\nDROP TABLE t;\n";

        assertThat(SqlFileSections.executablePart(sql)).isEqualTo(sql);
    }
}
