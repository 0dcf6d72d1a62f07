package dev.strata.sql;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The scanner reads files as the server does, and says so when it cannot read something. */
@Tag("unit")
class FailClosedScannerTest {

    private static List<Finding> scan(String sql, ScanOptions options) {
        return new SafetyScanner().scan(SqlScript.parse("V1.sql", sql), options);
    }

    private static List<String> ids(String sql) {
        return scan(sql, ScanOptions.defaults()).stream().map(Finding::ruleId).toList();
    }

    // --- standard_conforming_strings ------------------------------------------------------------

    @Test
    void theBackslashBypassIsRefusedWhereItStarts() {
        List<Finding> f = scan("SELECT 1;\nSET standard_conforming_strings = off;\n"
                + "SELECT '\\' AS a, ' ; DROP SCHEMA victim CASCADE; -- ';\n", ScanOptions.defaults());
        assertThat(f).extracting(Finding::ruleId).containsExactly("lexing-setting");
        Finding finding = f.get(0);
        assertThat(finding.severity()).isEqualTo(Severity.ERROR);
        assertThat(finding.line()).isEqualTo(2);
        assertThat(finding.column()).isEqualTo(1);
        assertThat(finding.message()).contains("standard_conforming_strings");
        assertThat(finding.hint()).contains("standard_conforming_strings = on");
    }

    @Test
    void everyWayOfChangingTheLexingSettingsIsAnError() {
        for (String sql : List.of(
                "SET standard_conforming_strings = off;",
                "SET LOCAL standard_conforming_strings TO off;",
                "set session STANDARD_CONFORMING_STRINGS = 'off';",
                "SET \"standard_conforming_strings\" = off;",
                "SET backslash_quote = on;",
                "RESET standard_conforming_strings;",
                "RESET ALL;",
                "SELECT set_config('standard_conforming_strings', 'off', false);",
                "SELECT pg_catalog.set_config(E'backslash_quote', 'on', true);",
                "ALTER DATABASE app SET standard_conforming_strings = off;",
                "ALTER ROLE app IN DATABASE app SET standard_conforming_strings TO off;",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql SET standard_conforming_strings = off AS 'SELECT 1';",
                "DO $$ BEGIN SET standard_conforming_strings = off; END $$;",
                "DO $$ BEGIN PERFORM set_config('standard_conforming_strings', 'off', false); END $$;",
                "DO $$ BEGIN EXECUTE 'SET standard_conforming_strings = off'; END $$;")) {
            assertThat(ids(sql)).as(sql).contains("lexing-setting");
        }
        assertThat(ids("SELECT set_config(name, 'off', false) FROM settings;")).containsExactly("cannot-verify");
    }

    @Test
    void readingTheSettingsIsFine() {
        assertThat(ids("SHOW standard_conforming_strings;")).isEmpty();
        assertThat(ids("SELECT current_setting('standard_conforming_strings');")).isEmpty();
        assertThat(ids("SELECT set_config('search_path', 'app', true);")).isEmpty();
        assertThat(ids("SET search_path = app; RESET search_path;")).isEmpty();
    }

    // --- nesting --------------------------------------------------------------------------------

    /** DROP SCHEMA inside {@code levels} DO blocks, each EXECUTE-ing the next from a dollar quote. */
    private static String nested(int levels) {
        StringBuilder head = new StringBuilder();
        StringBuilder tail = new StringBuilder();
        for (int k = 1; k <= levels; k++) {
            head.append("DO $d").append(k).append("$ BEGIN EXECUTE $e").append(k).append("$ ");
            tail.insert(0, " $e" + k + "$; END $d" + k + "$;");
        }
        return head + "DROP SCHEMA victim CASCADE" + tail;
    }

    @Test
    void dropSchemaIsFoundAtAnyReasonableDepth() {
        for (int levels : new int[] {1, 5, 6, 9, 50}) {
            List<Finding> f = scan(nested(levels), ScanOptions.defaults());
            assertThat(f).as(levels + " levels").extracting(Finding::ruleId).containsExactly("drop-schema");
            assertThat(f.get(0).column()).isEqualTo(nested(levels).indexOf("DROP SCHEMA") + 1);
        }
    }

    @Test
    void twoHundredThousandLevelsNeitherOverflowNorPassSilently() {
        int levels = 200_000;
        StringBuilder head = new StringBuilder();
        StringBuilder tail = new StringBuilder();
        for (int k = levels; k >= 1; k--) {
            tail.append(" END $t").append(k).append("$;");
        }
        for (int k = 1; k <= levels; k++) {
            head.append("DO $t").append(k).append("$ BEGIN ");
        }
        String sql = head + "DROP SCHEMA victim CASCADE;" + tail;
        List<String> found = ids(sql);
        assertThat(found).isNotEmpty();
        assertThat(found).allSatisfy(id -> assertThat(id).isIn("drop-schema", "cannot-verify"));
        assertThat(scan(sql, ScanOptions.defaults())).allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
    }

    @Test
    void deepButCheapNestingIsStillReadToTheEnd() {
        StringBuilder head = new StringBuilder();
        StringBuilder tail = new StringBuilder();
        for (int k = 1; k <= 300; k++) {
            head.append("DO $t").append(k).append("$ BEGIN ");
            tail.insert(0, " END $t" + k + "$;");
        }
        assertThat(ids(head + "DROP SCHEMA victim;" + tail)).containsExactly("drop-schema");
    }

    // --- what the scanner cannot read -----------------------------------------------------------

    @Test
    void anUnterminatedLiteralInsideABodyCannotBeVerified() {
        List<Finding> f = scan("DO $a$ BEGIN EXECUTE 'SELECT 1; END $a$;", ScanOptions.defaults());
        assertThat(f).extracting(Finding::ruleId).containsExactly("cannot-verify");
        assertThat(f.get(0).column()).isEqualTo(22);
    }

    @Test
    void aDropWhoseKindIsOnlyKnownAtRunTimeCannotBeVerified() {
        assertThat(ids("DO $$ BEGIN EXECUTE 'DROP ' || kind || ' victim CASCADE'; END $$;"))
                .containsExactlyInAnyOrder("cannot-verify", "dynamic-sql");
        assertThat(ids("DO $$ BEGIN EXECUTE format('DROP %s victim', kind); END $$;"))
                .containsExactlyInAnyOrder("cannot-verify");
        assertThat(ids("DO $$ DECLARE cmd text := 'DROP SCHEMA victim CASCADE'; BEGIN EXECUTE cmd; END $$;"))
                .containsExactlyInAnyOrder("cannot-verify", "dynamic-sql");
        assertThat(ids("DO $$ BEGIN EXECUTE 'DROP TABLE ' || quote_ident(t); END $$;")).containsExactly("dynamic-sql");
        assertThat(ids("DO $$ BEGIN EXECUTE format('CREATE TEMP TABLE x (c text CHECK (c < %L)) ON COMMIT DROP', v); "
                + "END $$;")).isEmpty();
    }

    @Test
    void cannotVerifyIsAllowedWithAReason() {
        ScanOptions allowed = ScanOptions.defaults().allowing("cannot-verify", "drops per-tenant tables, reviewed");
        assertThat(scan("DO $$ BEGIN EXECUTE 'DROP ' || kind || ' t'; END $$;", allowed))
                .extracting(Finding::ruleId).containsExactly("dynamic-sql");
        assertThat(Rule.LEXING_SETTING.allowable()).as("a lexing change is never intended").isFalse();
    }
}
