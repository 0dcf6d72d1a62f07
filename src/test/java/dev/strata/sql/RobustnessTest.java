package dev.strata.sql;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Parsing and scanning must never throw, whatever the input: bad SQL is reported, not fatal. */
@Tag("unit")
class RobustnessTest {

    private static final String[] PIECES = {"'", "''", "\"", "$$", "$a$", "$1", "E'\\", "U&'", "U&\"", "B'", "--",
        "/*", "*/", "\\", "\\;", "\\copy t from stdin", "\\q", "\n", "\r", "\r\n", " ", ";", "(", ")", "[", "]",
        "BEGIN", "ATOMIC", "END", "CASE", "CREATE", "FUNCTION", "OR", "REPLACE", "PROCEDURE", "DO", "AS",
        "LANGUAGE", "plpgsql", "sql", "EXECUTE", "format", "DROP", "SCHEMA", "TRUNCATE", "ALTER", "TABLE",
        "ADD", "COLUMN", "DEFAULT", "random()", "INDEX", "ON", "COPY", "FROM", "STDIN", "\\.", "x", "1.5e-",
        "::", ":=", "+-", "\uFEFF", "é", "\uD83D\uDE00", ",", "THEN", "LOOP", ">>", "RENAME", "TO"};

    @Test
    void randomInputNeverThrows() {
        Random random = new Random(20240601);
        SafetyScanner scanner = new SafetyScanner();
        for (int i = 0; i < 5000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(40);
            for (int k = 0; k < n; k++) {
                b.append(PIECES[random.nextInt(PIECES.length)]);
                if (random.nextBoolean()) {
                    b.append(' ');
                }
            }
            String sql = b.toString();
            assertThatCode(() -> {
                SqlScript script = SqlScript.parse("fuzz.sql", sql);
                scanner.scan(script, ScanOptions.defaults());
                script.executableSql();
                SqlLexer.tokenize(sql);
                for (int offset = 0; offset <= sql.length(); offset++) {
                    script.positionOf(offset);
                }
            }).as("input %s", sql).doesNotThrowAnyException();
        }
    }
}
