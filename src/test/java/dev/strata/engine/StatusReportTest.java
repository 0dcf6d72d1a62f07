package dev.strata.engine;

import org.junit.jupiter.api.Tag;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogLoader;
import static dev.strata.testing.Fixtures.file;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.history.AppliedMigration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

@Tag("unit")
class StatusReportTest {

    private static final String DB = "postgresql://app@db.internal:5432/crm";
    private static final OffsetDateTime T0 = OffsetDateTime.of(2025, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    /** SQL-only catalog 001, 007, 010 (-> 7), 012 (-> 7), 013. */
    private static final Catalog CATALOG = CatalogLoader.build("db", List.of(
            file("001_init.sql", "SELECT 1;\n"),
            file("007_crm.sql", "SELECT 7;\n"),
            file("010_fix.sql", "-- Dependencies: 7\nSELECT 10;\n"),
            file("012_prod.sql", "-- Dependencies: 7\nSELECT 12;\n"),
            file("013_rag.sql", "SELECT 13;\n")), List.of(), false);

    private static String checksum(long number) {
        return CATALOG.find(number).orElseThrow().checksum();
    }

    private static AppliedMigration row(long number, String name, String checksum, int minutes, boolean success, String kind) {
        return new AppliedMigration(number, name, checksum, "d" + number, T0.plusMinutes(minutes),
                "baseline".equals(kind) ? null : 42, success, "app", kind, success ? null : "ERROR: boom");
    }

    private static AppliedMigration applied(long number, String name, int minutes) {
        return row(number, name, checksum(number), minutes, true, "applied");
    }

    @Test
    void everyStateIsRecognisedAndCounted() {
        List<AppliedMigration> history = List.of(
                applied(1, "001_init", 1),
                row(7, "007_crm", checksum(7), 0, true, "baseline"),
                row(10, "010_fix", "f".repeat(64), 2, true, "applied"),
                row(12, "012_prod", checksum(12), 3, false, "applied"),
                row(99, "099_dropped", "a".repeat(64), 4, true, "applied"));

        StatusReport report = StatusReport.of(CATALOG, history, DB);

        assertThat(report.database()).isEqualTo(DB);
        assertThat(report.entries()).extracting(StatusReport.Entry::number, StatusReport.Entry::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, MigrationState.APPLIED),
                org.assertj.core.groups.Tuple.tuple(7L, MigrationState.BASELINE),
                org.assertj.core.groups.Tuple.tuple(10L, MigrationState.CHANGED),
                org.assertj.core.groups.Tuple.tuple(12L, MigrationState.FAILED),
                org.assertj.core.groups.Tuple.tuple(13L, MigrationState.PENDING),
                org.assertj.core.groups.Tuple.tuple(99L, MigrationState.UNKNOWN));
        for (MigrationState state : MigrationState.values()) {
            assertThat(report.count(state)).as(state.label()).isEqualTo(1);
            assertThat(report.in(state)).as(state.label()).hasSize(1);
        }
        assertThat(report.appliedCount()).isEqualTo(2);
    }

    @Test
    void emptyHistoryMeansEverythingPendingInPlanOrder() {
        StatusReport report = StatusReport.of(CATALOG, List.of(), DB);

        assertThat(report.entries()).extracting(StatusReport.Entry::name)
                .containsExactly("001_init", "007_crm", "010_fix", "012_prod", "013_rag");
        assertThat(report.count(MigrationState.PENDING)).isEqualTo(5);
        assertThat(report.appliedCount()).isZero();
        assertThat(report.lastApplied()).isEmpty();
        assertThat(report.entries()).allSatisfy(e -> {
            assertThat(e.applied()).isEmpty();
            assertThat(e.migration()).isPresent();
        });
    }

    @Test
    void checksumComparisonIgnoresHexCase() {
        StatusReport report = StatusReport.of(CATALOG,
                List.of(row(1, "001_init", checksum(1).toUpperCase(), 0, true, "applied")), DB);

        assertThat(report.find(1).orElseThrow().state()).isEqualTo(MigrationState.APPLIED);
    }

    @Test
    void oneChangedCharacterOfTheChecksumIsChanged() {
        String recorded = checksum(1).substring(0, 63) + (checksum(1).endsWith("0") ? "1" : "0");

        StatusReport report = StatusReport.of(CATALOG, List.of(row(1, "001_init", recorded, 0, true, "applied")), DB);

        assertThat(report.find(1).orElseThrow().state()).isEqualTo(MigrationState.CHANGED);
    }

    @Test
    void failedWinsOverChangedChecksum() {
        StatusReport report = StatusReport.of(CATALOG,
                List.of(row(12, "012_prod", "b".repeat(64), 0, false, "applied")), DB);

        assertThat(report.find(12).orElseThrow().state()).isEqualTo(MigrationState.FAILED);
    }

    @Test
    void baselineWithChangedChecksumIsChanged() {
        StatusReport report = StatusReport.of(CATALOG,
                List.of(row(7, "007_crm", "c".repeat(64), 0, true, "baseline")), DB);

        assertThat(report.find(7).orElseThrow().state()).isEqualTo(MigrationState.CHANGED);
    }

    @Test
    void repairedRowWithMatchingChecksumIsApplied() {
        StatusReport report = StatusReport.of(CATALOG,
                List.of(row(12, "012_prod", checksum(12), 0, true, "repaired")), DB);

        assertThat(report.find(12).orElseThrow().state()).isEqualTo(MigrationState.APPLIED);
    }

    @Test
    void unknownRowsComeLastWithTheirRecordedName() {
        AppliedMigration dropped = row(2, "002_removed_file", "a".repeat(64), 0, true, "applied");

        StatusReport report = StatusReport.of(CATALOG, List.of(dropped, applied(1, "001_init", 1)), DB);

        StatusReport.Entry last = report.entries().get(report.entries().size() - 1);
        assertThat(last.number()).isEqualTo(2);
        assertThat(last.name()).isEqualTo("002_removed_file");
        assertThat(last.state()).isEqualTo(MigrationState.UNKNOWN);
        assertThat(last.migration()).isEmpty();
        assertThat(last.applied()).contains(dropped);
    }

    @Test
    void appliedEntryCarriesBothSides() {
        AppliedMigration row = applied(7, "007_crm", 0);

        StatusReport.Entry entry = StatusReport.of(CATALOG, List.of(row), DB).find(7).orElseThrow();

        assertThat(entry.applied()).contains(row);
        assertThat(entry.migration()).contains(CATALOG.find(7).orElseThrow());
    }

    @Test
    void lastAppliedIsTheMostRecentSuccessfulRow() {
        List<AppliedMigration> history = List.of(
                applied(7, "007_crm", 5),
                applied(1, "001_init", 10),
                row(10, "010_fix", checksum(10), 20, false, "applied"));

        StatusReport report = StatusReport.of(CATALOG, history, DB);

        assertThat(report.lastApplied()).get().extracting(AppliedMigration::number).isEqualTo(1L);
    }

    @Test
    void lastAppliedIgnoresRowsNotInTheCatalog() {
        List<AppliedMigration> history = List.of(
                applied(7, "007_crm", 5),
                row(99, "099_from_another_branch", "a".repeat(64), 30, true, "applied"));

        StatusReport report = StatusReport.of(CATALOG, history, DB);

        assertThat(report.lastApplied()).get().extracting(AppliedMigration::number).isEqualTo(7L);
    }

    @Test
    void findReturnsEmptyForNumbersInNeither() {
        assertThat(StatusReport.of(CATALOG, List.of(), DB).find(42)).isEmpty();
    }
}
