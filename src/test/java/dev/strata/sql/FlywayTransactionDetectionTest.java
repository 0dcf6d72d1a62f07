package dev.strata.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flyway's (PostgreSQL) list of statements that cannot run in a transaction, matched on the first
 * ten top-level words as Flyway matches them; each hit has a near miss that Flyway runs in a
 * transaction.
 */
@Tag("unit")
class FlywayTransactionDetectionTest {

    private static FlywayTransactionDetection.Verdict only(String sql) {
        List<FlywayTransactionDetection.Verdict> verdicts = FlywayTransactionDetection.verdicts(SqlScript.parse("V1__x.sql", sql));
        assertThat(verdicts).hasSize(1);
        return verdicts.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE INDEX CONCURRENTLY i ON t (a)",
            "create unique index concurrently if not exists i on t (a)",
            "CREATE /* c */ INDEX\n  -- why\n  CONCURRENTLY i ON t (a)",
            "DROP INDEX CONCURRENTLY IF EXISTS i",
            "VACUUM",
            "vacuum (analyze, verbose) t",
            "DISCARD ALL",
            "ALTER SYSTEM SET work_mem = '8MB'",
            "CREATE DATABASE d",
            "DROP DATABASE IF EXISTS d",
            "CREATE TABLESPACE ts LOCATION '/tmp/ts'",
            "DROP TABLESPACE ts",
            "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p",
            "DROP SUBSCRIPTION s",
            "REINDEX SCHEMA public",
            "REINDEX (VERBOSE) DATABASE d",
            "REINDEX VERBOSE SYSTEM d",
    })
    void flywayRunsTheseOutsideATransaction(String sql) {
        assertThat(only(sql).canExecuteInTransaction()).as(sql).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE INDEX i ON t (a)",
            "CREATE UNIQUE INDEX i ON t (a)",
            // not on Flyway's list: Flyway runs them in a transaction, where PostgreSQL refuses them
            "REINDEX TABLE CONCURRENTLY t",
            "REINDEX INDEX i",
            "ALTER TABLE p DETACH PARTITION c CONCURRENTLY",
            // only before PostgreSQL 12
            "ALTER TYPE mood ADD VALUE 'ok'",
            "SELECT 'CREATE INDEX CONCURRENTLY'",
            "CREATE TABLE \"vacuum\" (a int)",
            "DO $$ BEGIN EXECUTE 'VACUUM'; END $$",
            "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ VACUUM $$",
            "SELECT vacuum FROM t",
            "DISCARD PLANS",
            "ALTER DATABASE d SET work_mem = '8MB'",
    })
    void flywayRunsTheseInATransaction(String sql) {
        assertThat(only(sql).canExecuteInTransaction()).as(sql).isTrue();
    }

    @Test
    void namesTheWordsItMatchedPerStatementInFileOrder() {
        List<FlywayTransactionDetection.Verdict> verdicts = FlywayTransactionDetection.verdicts(SqlScript.parse("V1__x.sql",
                "CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);\nVACUUM t;\n"));

        assertThat(verdicts).extracting(FlywayTransactionDetection.Verdict::canExecuteInTransaction)
                .containsExactly(true, false, false);
        assertThat(verdicts).extracting(FlywayTransactionDetection.Verdict::words)
                .containsExactly("", "CREATE INDEX CONCURRENTLY", "VACUUM");
        assertThat(verdicts.get(1).statement().position()).isEqualTo(new SourcePosition(2, 1));
    }
}
