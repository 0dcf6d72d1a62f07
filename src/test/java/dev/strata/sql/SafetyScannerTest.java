package dev.strata.sql;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SafetyScannerTest {

    private static List<Finding> scan(String sql, ScanOptions options) {
        return new SafetyScanner().scan(SqlScript.parse("V1.sql", sql), options);
    }

    private static List<Finding> scan(String sql) {
        return scan(sql, ScanOptions.defaults());
    }

    private static List<String> ids(String sql) {
        return scan(sql).stream().map(Finding::ruleId).collect(Collectors.toList());
    }

    private static List<String> ids(String sql, ScanOptions options) {
        return scan(sql, options).stream().map(Finding::ruleId).collect(Collectors.toList());
    }

    // --- drop schema / database ---------------------------------------------------------------

    @Test
    void dropSchemaInAllForms() {
        assertThat(ids("DROP SCHEMA s;")).containsExactly("drop-schema");
        assertThat(ids("drop schema if exists a, b cascade;")).containsExactly("drop-schema");
        assertThat(ids("DROP /* x */ SCHEMA s;")).containsExactly("drop-schema");
        assertThat(ids("DROP\n-- c\nSCHEMA s RESTRICT")).containsExactly("drop-schema");
    }

    @Test
    void dropSchemaNearMisses() {
        assertThat(ids("ALTER TABLE t DROP schema;")).doesNotContain("drop-schema");
        assertThat(ids("COMMENT ON TABLE t IS 'DROP SCHEMA x; DROP DATABASE y';")).isEmpty();
        assertThat(ids("SELECT \"drop schema;\" FROM t; SELECT 'drop schema s';")).isEmpty();
        assertThat(ids("DO $$ BEGIN RAISE NOTICE 'DROP SCHEMA s'; END $$;")).isEmpty();
        assertThat(ids("-- DROP SCHEMA s;\n/* DROP SCHEMA s; */ SELECT 1;")).isEmpty();
    }

    @Test
    void dropDatabaseInAllForms() {
        assertThat(ids("DROP DATABASE IF EXISTS d WITH (FORCE);")).containsExactly("drop-database");
        assertThat(ids("DROP DATABASE d")).containsExactly("drop-database");
        assertThat(ids("ALTER DATABASE d RENAME TO e;")).isEmpty();
    }

    @Test
    void findingCarriesPositionMessageAndHint() {
        Finding f = scan("SELECT 1;\n  DROP SCHEMA app CASCADE;").get(0);
        assertThat(f.line()).isEqualTo(2);
        assertThat(f.column()).isEqualTo(3);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.format()).startsWith("V1.sql:2:3: error drop-schema: DROP SCHEMA app")
                .contains("\n  hint: ");
    }

    // --- bodies -------------------------------------------------------------------------------

    @Test
    void dropSchemaInsideDoBlockIsMappedToFilePosition() {
        List<Finding> f = scan("DO $$\nBEGIN\n  IF true THEN\n    DROP SCHEMA s CASCADE;\n  END IF;\nEND\n$$;");
        assertThat(f).extracting(Finding::ruleId).containsExactly("drop-schema");
        assertThat(f.get(0).line()).isEqualTo(4);
        assertThat(f.get(0).column()).isEqualTo(5);
        assertThat(f.get(0).message()).contains("inside a DO block");
    }

    @Test
    void dropSchemaInsideFunctionBodies() {
        assertThat(ids("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $fn$ BEGIN DROP SCHEMA s; END $fn$;"))
                .containsExactly("drop-schema");
        assertThat(ids("CREATE OR REPLACE FUNCTION f() RETURNS void AS 'TRUNCATE t; SELECT 1' LANGUAGE sql;"))
                .containsExactly("truncate");
        assertThat(ids("CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC DROP SCHEMA s; END;"))
                .containsExactly("drop-schema");
        assertThat(ids("CREATE FUNCTION f() RETURNS int LANGUAGE c AS 'lib', 'DROP SCHEMA';")).isEmpty();
    }

    @Test
    void quotedBodyPositionsAccountForDoubledQuotes() {
        List<Finding> f = scan("DO 'BEGIN RAISE NOTICE ''x''; DROP SCHEMA s; END';");
        assertThat(f).extracting(Finding::ruleId).containsExactly("drop-schema");
        assertThat(f.get(0).column()).isEqualTo(31);
    }

    @Test
    void executeOfLiteralAndFormat() {
        assertThat(ids("DO $$ BEGIN EXECUTE 'DROP SCHEMA x'; END $$;")).containsExactly("drop-schema");
        assertThat(ids("DO $$ BEGIN EXECUTE format('DROP SCHEMA %I CASCADE', s); END $$;"))
                .containsExactly("drop-schema");
        assertThat(ids("DO $$ BEGIN EXECUTE 'DROP SCHEMA ' || quote_ident(s); END $$;"))
                .containsExactlyInAnyOrder("drop-schema", "dynamic-sql");
        assertThat(ids("DO $$ BEGIN EXECUTE cmd; END $$;")).containsExactly("dynamic-sql");
        assertThat(ids("DO $$ BEGIN EXECUTE format('%s', cmd); END $$;")).containsExactly("dynamic-sql");
        assertThat(ids("DO $$ BEGIN EXECUTE format('SELECT %L', v); END $$;")).isEmpty();
        assertThat(ids("DO $$ BEGIN EXECUTE 'SELECT 1' INTO x; END $$;")).isEmpty();
    }

    @Test
    void grantExecuteIsNotDynamicSql() {
        assertThat(ids("DO $$ BEGIN GRANT EXECUTE ON FUNCTION f() TO r; END $$;")).isEmpty();
    }

    // --- truncate -----------------------------------------------------------------------------

    @Test
    void truncateIsAnErrorUnlessAllowed() {
        assertThat(ids("TRUNCATE TABLE t;")).containsExactly("truncate");
        assertThat(ids("TRUNCATE t;", ScanOptions.defaults().allowing("truncate", "reload reference data"))).isEmpty();
    }

    @Test
    void truncateNearMisses() {
        assertThat(ids("GRANT TRUNCATE ON t TO r;")).isEmpty();
        assertThat(ids("CREATE TRIGGER tr AFTER TRUNCATE ON t FOR EACH STATEMENT EXECUTE FUNCTION f();")).isEmpty();
    }

    // --- transaction control ------------------------------------------------------------------

    @Test
    void wrapperIsAcceptedButInnerTransactionControlIsNot() {
        assertThat(ids("BEGIN;\nSELECT 1;\nCOMMIT;")).isEmpty();
        assertThat(ids("BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;"))
                .containsExactly("transaction-control", "transaction-control");
        assertThat(ids("SELECT 1; SAVEPOINT a; ROLLBACK TO a; RELEASE a; PREPARE TRANSACTION 'x'; COMMIT PREPARED 'x';"))
                .hasSize(5).containsOnly("transaction-control");
        assertThat(ids("SELECT 1; END;")).containsExactly("transaction-control");
    }

    @Test
    void transactionControlNearMisses() {
        assertThat(ids("SELECT CASE WHEN a THEN 1 END FROM t;")).isEmpty();
        assertThat(ids("DO $$ BEGIN PERFORM 1; END $$;")).isEmpty();
        assertThat(ids("PREPARE q AS SELECT 1;")).isEmpty();
    }

    @Test
    void commitInsideDoBlockEndsTheMigrationTransaction() {
        assertThat(ids("DO $$ BEGIN COMMIT; END $$;")).containsExactly("transaction-control");
    }

    // --- non-transactional --------------------------------------------------------------------

    @Test
    void statementsRefusedInsideTransactionBlocks() {
        assertThat(ids("CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);")).containsExactly("non-transactional");
        assertThat(ids("DROP INDEX CONCURRENTLY i;")).containsExactly("non-transactional");
        assertThat(ids("REINDEX INDEX CONCURRENTLY i;")).containsExactly("non-transactional");
        assertThat(ids("REINDEX (VERBOSE) SCHEMA s;")).containsExactly("non-transactional");
        assertThat(ids("REINDEX (CONCURRENTLY, VERBOSE) TABLE t;")).containsExactly("non-transactional");
        assertThat(ids("ALTER TABLE p DETACH PARTITION c CONCURRENTLY;")).containsExactly("non-transactional");
        assertThat(ids("VACUUM ANALYZE t;")).containsExactly("non-transactional");
        assertThat(ids("ALTER SYSTEM SET work_mem = '64MB';")).containsExactly("non-transactional");
        assertThat(ids("CREATE DATABASE d;")).containsExactly("non-transactional");
        assertThat(ids("CREATE TABLESPACE ts LOCATION '/x';")).containsExactly("non-transactional");
        assertThat(ids("CLUSTER;")).containsExactly("non-transactional");
    }

    @Test
    void nonTransactionalNearMisses() {
        assertThat(ids("REINDEX TABLE t;")).isEmpty();
        assertThat(ids("CLUSTER t USING i;")).isEmpty();
        assertThat(ids("ALTER TYPE mood ADD VALUE 'meh';")).isEmpty();
        assertThat(ids("ANALYZE t;")).isEmpty();
        assertThat(ids("ALTER TABLE p DETACH PARTITION c;")).isEmpty();
        assertThat(ids("CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);",
                ScanOptions.defaults().withTransactional(false))).isEmpty();
    }

    // --- psql-only constructs -----------------------------------------------------------------

    @Test
    void metaCommandsCopyFromStdinAndUnterminated() {
        assertThat(ids("\\set x 1\nSELECT 1;")).containsExactly("psql-meta-command");
        assertThat(ids("COPY t FROM STDIN;\n1\n\\.\n")).containsExactly("copy-from-stdin");
        assertThat(ids("SELECT 'abc;")).containsExactly("unterminated");
        assertThat(ids("COPY t TO STDOUT; SELECT 'a\\b';")).isEmpty();
    }

    // --- warnings -----------------------------------------------------------------------------

    @Test
    void indexWithoutConcurrentlyOnlyForExistingTables() {
        assertThat(ids("CREATE INDEX IF NOT EXISTS i ON t (a);")).containsExactly("index-without-concurrently");
        assertThat(ids("CREATE TABLE IF NOT EXISTS t (a int); CREATE INDEX IF NOT EXISTS i ON public.t (a);")).isEmpty();
    }

    @Test
    void constraintWithoutNotValid() {
        assertThat(ids("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id);"))
                .containsExactly("constraint-without-not-valid");
        assertThat(ids("ALTER TABLE t ADD CHECK (a > 0);")).containsExactly("constraint-without-not-valid");
        assertThat(ids("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID;")).isEmpty();
        assertThat(ids("ALTER TABLE t VALIDATE CONSTRAINT fk;")).isEmpty();
    }

    @Test
    void alterColumnTypeAndSetNotNull() {
        assertThat(ids("ALTER TABLE t ALTER COLUMN a TYPE bigint;")).containsExactly("alter-column-type");
        assertThat(ids("ALTER TABLE t ALTER a SET DATA TYPE text;")).containsExactly("alter-column-type");
        assertThat(ids("ALTER TABLE t ALTER COLUMN a SET NOT NULL;")).containsExactly("set-not-null");
        assertThat(ids("ALTER TABLE t ALTER COLUMN a DROP NOT NULL, ALTER COLUMN b SET DEFAULT 1;")).isEmpty();
    }

    private static List<Finding> scanAfter(String earlier, String sql) {
        ColumnTypes known = new ColumnTypes();
        SafetyScanner scanner = new SafetyScanner();
        scanner.scan(SqlScript.parse("001_a.sql", earlier), ScanOptions.defaults(), known);
        return scanner.scan(SqlScript.parse("002_b.sql", sql), ScanOptions.defaults(), known);
    }

    @Test
    void binaryCoercibleTypeChangesOfKnownColumnsAreNotReported() {
        String earlier = "CREATE TABLE t (id int PRIMARY KEY, a varchar(32) NOT NULL, b character varying, "
                + "n numeric(10,2) DEFAULT 0, m decimal(8), v bit varying(4), c varchar(64));";
        assertThat(scanAfter(earlier, "ALTER TABLE t ALTER COLUMN a TYPE varchar(39), ALTER b TYPE text, "
                + "ALTER n TYPE numeric(12,2), ALTER m SET DATA TYPE numeric, ALTER v TYPE varbit(8), "
                + "ALTER c TYPE character varying;")).isEmpty();
        assertThat(scanAfter(earlier + " ALTER TABLE t ADD COLUMN d varchar(5);", "ALTER TABLE t ALTER d TYPE text;")).isEmpty();
    }

    @Test
    void rewritingTypeChangesOfKnownColumnsAreReportedAsRewrites() {
        String earlier = "CREATE TABLE t (id int, a varchar(32), n numeric(10,2), ts timestamp);";
        assertThat(scanAfter(earlier, "ALTER TABLE t ALTER id TYPE bigint;")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("from int4 to int8 rewrites the table"));
        assertThat(scanAfter(earlier, "ALTER TABLE t ALTER a TYPE varchar(16);")).extracting(Finding::ruleId)
                .containsExactly("alter-column-type");
        assertThat(scanAfter(earlier, "ALTER TABLE t ALTER n TYPE numeric(12,3);")).extracting(Finding::ruleId)
                .containsExactly("alter-column-type");
        assertThat(scanAfter(earlier, "ALTER TABLE t ALTER a TYPE text USING lower(a);")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("USING"));
        assertThat(scanAfter(earlier, "ALTER TABLE t ALTER ts TYPE timestamptz;")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("unless the session TimeZone is UTC"));
    }

    @Test
    void typeChangesOfUnseenColumnsSayWhatIsKnown() {
        assertThat(scan("ALTER TABLE t ALTER COLUMN a TYPE bigint;")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("to int8 rewrites the table").doesNotContain("unless"));
        assertThat(scan("ALTER TABLE t ALTER COLUMN a TYPE text;")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("unless the old type is varchar or text"));
        assertThat(scan("ALTER TABLE t ALTER COLUMN a TYPE varchar(40);")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("unless the old type is varchar(n) with n <= 40"));
    }

    @Test
    void volatileDefaultsButNotStableOnes() {
        assertThat(ids("ALTER TABLE t ADD COLUMN id uuid DEFAULT gen_random_uuid();")).containsExactly("volatile-default");
        assertThat(ids("ALTER TABLE t ADD COLUMN n bigserial;")).containsExactly("volatile-default");
        assertThat(ids("ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp();")).containsExactly("volatile-default");
        // now() is STABLE: since PostgreSQL 11 it is evaluated once and stored, no rewrite
        assertThat(ids("ALTER TABLE t ADD COLUMN c timestamptz NOT NULL DEFAULT now();")).isEmpty();
        assertThat(ids("ALTER TABLE t ADD COLUMN c int DEFAULT 0;")).isEmpty();
    }

    @Test
    void dropsAndRenames() {
        assertThat(ids("DROP TABLE IF EXISTS t;")).containsExactly("drop-table");
        assertThat(ids("ALTER TABLE t DROP COLUMN c;")).containsExactly("drop-column");
        assertThat(ids("ALTER TABLE t DROP CONSTRAINT c;")).isEmpty();
        assertThat(ids("ALTER TABLE t RENAME TO u;")).containsExactly("rename");
        assertThat(ids("ALTER TABLE t RENAME COLUMN a TO b;")).containsExactly("rename");
        assertThat(ids("ALTER TABLE t RENAME CONSTRAINT a TO b;")).isEmpty();
    }

    @Test
    void ddlOnTablesCreatedInTheSameFileIsNotRisky() {
        assertThat(ids("CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t ALTER COLUMN a TYPE bigint;\n"
                + "ALTER TABLE t ADD COLUMN b uuid DEFAULT gen_random_uuid();\nDROP TABLE t;")).isEmpty();
    }

    @Test
    void missingIfNotExistsInNonTransactionalMigrations() {
        ScanOptions nonTx = ScanOptions.defaults().withTransactional(false);
        assertThat(ids("CREATE TABLE t (a int);", nonTx)).containsExactly("missing-if-not-exists");
        assertThat(ids("CREATE INDEX CONCURRENTLY i ON t (a);", nonTx))
                .containsExactly("missing-if-not-exists");
        assertThat(ids("CREATE TABLE IF NOT EXISTS t (a int);", nonTx)).isEmpty();
    }

    @Test
    void noMissingIfNotExistsInTransactionalMigrations() {
        // a failure rolls the whole file back, so a re-run never meets half of it
        assertThat(ids("CREATE TABLE t (a int);")).isEmpty();
        assertThat(ids("CREATE TABLE t (a int); CREATE INDEX i ON t (a);")).isEmpty();
        assertThat(ids("CREATE INDEX i ON u (a);")).containsExactly("index-without-concurrently");
    }

    @Test
    void promotedWarningsBecomeErrors() {
        ScanOptions strict = new ScanOptions(true, Map.of(), Set.of("drop-table"));
        assertThat(scan("DROP TABLE t;", strict)).extracting(Finding::severity).containsExactly(Severity.ERROR);
        assertThat(scan("DROP TABLE t;")).extracting(Finding::severity).containsExactly(Severity.WARNING);
    }

    @Test
    void unallowableRulesIgnoreAllowances() {
        assertThat(ids("DROP DATABASE d;", ScanOptions.defaults().allowing("drop-database", "because"))).containsExactly("drop-database");
    }
}
