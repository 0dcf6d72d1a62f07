package dev.strata.catalog;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class SqlFileHeaderTest {

    private final List<String> problems = new ArrayList<>();

    private SqlFileHeader parse(String sql) {
        return SqlFileHeader.parse("m/010_x.sql", sql, problems);
    }

    @Test
    void noHeaderGivesDefaults() {
        SqlFileHeader header = parse("CREATE TABLE t (id int);\n");

        assertThat(header).isEqualTo(new SqlFileHeader(null, List.of(), true, Map.of()));
        assertThat(problems).isEmpty();
    }

    @Test
    void dependenciesAreSortedDeduplicatedAndAcceptSpacesOrCommas() {
        SqlFileHeader header = parse("-- Dependencies: 10, 007 ,7  3\nSELECT 1;\n");

        assertThat(header.dependencies()).containsExactly(3L, 7L, 10L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-- Dependencies: 7", "-- Depends on: 7", "-- Requires: 7", "--dependencies:7",
            "-- DEPENDS-ON: 7", "  -- Depends: 7"})
    void dependencyKeySpellings(String line) {
        assertThat(parse(line + "\nSELECT 1;").dependencies()).containsExactly(7L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "-", ""})
    void emptyDependencyValues(String value) {
        assertThat(parse("-- Dependencies: " + value + "\nSELECT 1;").dependencies()).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void everyBadTokenIsReportedWithItsLine() {
        SqlFileHeader header = parse("-- Description: x\n-- Depends on: 7, 7a\n-- Requires: #9\nSELECT 1;");

        assertThat(header).isNull();
        assertThat(problems).containsExactly(
                "m/010_x.sql:2: Depends on: '7a' is not a migration number; write numbers separated by commas, e.g. 7, 10",
                "m/010_x.sql:3: Requires: '#9' is not a migration number; write numbers separated by commas, e.g. 7, 10");
    }

    @Test
    void descriptionKeepsColonsInTheValue() {
        assertThat(parse("-- Description: CRM: add invoices\nSELECT 1;").description()).isEqualTo("CRM: add invoices");
    }

    @Test
    void blankDescriptionIsAbsent() {
        assertThat(parse("-- Description:   \nSELECT 1;").description()).isNull();
    }

    @Test
    void byteOrderMarkBeforeTheHeaderIsIgnored() {
        assertThat(parse("\uFEFF-- Description: bom\nSELECT 1;").description()).isEqualTo("bom");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-- Transactional: false", "-- Transactional: no", "-- transactional: FALSE",
            "-- +goose NO TRANSACTION", "-- migrate:up transaction:false"})
    void nonTransactionalMarkers(String line) {
        assertThat(parse(line + "\nVACUUM t;").transactional()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-- Transactional: true", "-- Transactional: yes", "-- migrate:up", "-- +goose Up",
            "-- transactional false, but only a remark"})
    void transactionalMarkers(String line) {
        assertThat(parse(line + "\nSELECT 1;").transactional()).isTrue();
        assertThat(problems).isEmpty();
    }

    @Test
    void allowKeysAreLowerCasedAndReasonsKept() {
        SqlFileHeader header = parse("-- Allow: TRUNCATE staging is rebuilt\n-- Allow: drop-table old table unused since 2023\n");

        assertThat(header.allowances()).containsOnly(
                Map.entry("truncate", "staging is rebuilt"), Map.entry("drop-table", "old table unused since 2023"));
    }

    @Test
    void unknownHeaderKeysAndPlainCommentsAreIgnored() {
        SqlFileHeader header = parse("-- Author: someone\n-- just a remark\n-- Description: d\nSELECT 1;");

        assertThat(header.description()).isEqualTo("d");
        assertThat(problems).isEmpty();
    }

    @Test
    void commentsAfterTheFirstStatementAreNotHeader() {
        SqlFileHeader header = parse("SELECT 1;\n-- Dependencies: x\n-- Transactional: false\n");

        assertThat(header.dependencies()).isEmpty();
        assertThat(header.transactional()).isTrue();
        assertThat(problems).isEmpty();
    }
}
