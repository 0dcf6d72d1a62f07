package dev.strata.catalog;

import org.junit.jupiter.api.Tag;
import static dev.strata.testing.Fixtures.numbers;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class DirectoryCatalogTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, UTF_8);
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private String shown(String name) {
        return dir.resolve(name).toString();
    }

    private List<String> problems() {
        CatalogException e = catchThrowableOfType(CatalogException.class, () -> CatalogLoader.fromDirectory(dir));
        assertThat(e).as("expected a CatalogException").isNotNull();
        return e.problems();
    }

    private CatalogMigration load(long number) {
        return CatalogLoader.fromDirectory(dir).find(number).orElseThrow();
    }

    @Test
    void headerGivesDescriptionAndDependencies() throws IOException {
        write("001_init.sql", "CREATE TABLE a (id int);\n");
        write("007_crm.sql", "CREATE TABLE b (id int);\n");
        write("010_invoices.sql", "-- Description: Add the invoices table\n-- Dependencies: 7, 1\n\nCREATE TABLE c (id int);\n");

        Catalog catalog = CatalogLoader.fromDirectory(dir);

        assertThat(catalog.location()).isEqualTo(dir.toString());
        CatalogMigration m = catalog.find(10).orElseThrow();
        assertThat(m.description()).isEqualTo("Add the invoices table");
        assertThat(m.dependencies()).containsExactly(1L, 7L);
        assertThat(m.file()).isEqualTo(shown("010_invoices.sql"));
        assertThat(m.name()).isEqualTo("010_invoices");
        assertThat(m.origin()).isEqualTo("SQL file header");
        assertThat(m.transactional()).isTrue();
        assertThat(m.allowances()).isEmpty();
    }

    @Test
    void dependenciesNoneMeansNoDependencies() throws IOException {
        write("001_init.sql", "-- Dependencies: none\nCREATE TABLE a (id int);\n");

        assertThat(load(1).dependencies()).isEmpty();
    }

    @Test
    void headerDependenciesDecideThePlanOrder() throws IOException {
        write("005_a.sql", "-- Dependencies: 9\nSELECT 5;\n");
        write("007_b.sql", "SELECT 7;\n");
        write("009_c.sql", "SELECT 9;\n");

        assertThat(numbers(CatalogLoader.fromDirectory(dir))).containsExactly(7L, 9L, 5L);
    }

    @Test
    void badDependencyTokenIsReportedWithFileAndLine() throws IOException {
        write("007_crm.sql", "SELECT 7;\n");
        write("010_x.sql", "-- Description: x\n-- Dependencies: 7, seven\nSELECT 1;\n");

        assertThat(problems()).containsExactly(shown("010_x.sql") + ":2: Dependencies: 'seven' is not a migration "
                + "number; write numbers separated by commas, e.g. 7, 10");
    }

    @Test
    void unknownHeaderDependencyIsReported() throws IOException {
        write("010_x.sql", "-- Dependencies: 7\nSELECT 1;\n");

        assertThat(problems()).containsExactly(shown("010_x.sql") + ": depends on migration 007, which is not in "
                + dir + "; add it or remove the dependency");
    }

    @Test
    void headerEndsAtTheFirstStatement() throws IOException {
        write("010_x.sql", "-- Description: real one\nSELECT 1;\n-- Dependencies: 99\n-- Description: ignored\n");

        CatalogMigration m = load(10);

        assertThat(m.description()).isEqualTo("real one");
        assertThat(m.dependencies()).isEmpty();
    }

    @Test
    void transactionalFalseInHeader() throws IOException {
        write("020_idx.sql", "-- Transactional: false\nCREATE INDEX CONCURRENTLY i ON t (a);\n");
        write("021_tx.sql", "-- Transactional: true\nSELECT 1;\n");

        assertThat(load(20).transactional()).isFalse();
        assertThat(load(21).transactional()).isTrue();
    }

    @Test
    void transactionalWithAnotherValueIsReported() throws IOException {
        write("020_idx.sql", "-- Description: idx\n\n-- Transactional: sometimes\nSELECT 1;\n");

        assertThat(problems()).containsExactly(shown("020_idx.sql") + ":3: Transactional: 'sometimes' must be true or false");
    }

    @Test
    void allowHeaderRecordsRuleAndReason() throws IOException {
        write("030_reload.sql", "-- Allow: truncate staging table is rebuilt on every deploy\nTRUNCATE staging;\n");

        assertThat(load(30).allowances())
                .containsExactly(Map.entry("truncate", "staging table is rebuilt on every deploy"));
    }

    @Test
    void allowWithoutReasonIsReported() throws IOException {
        write("030_reload.sql", "-- Allow: truncate\nTRUNCATE staging;\n");

        assertThat(problems()).singleElement().asString()
                .startsWith(shown("030_reload.sql") + ":1: Allow: give the rule and a reason");
    }

    @Test
    void descriptionFallsBackToTheFileName() throws IOException {
        write("015_add_drive_columns.sql", "ALTER TABLE docs ADD COLUMN drive_id text;\n");

        assertThat(load(15).description()).isEqualTo("add drive columns");
    }

    @Test
    void verifyFileIsPairedAndNotAMigration() throws IOException {
        write("007_crm.sql", "CREATE TABLE clients (id int);\n");
        write("007_crm.verify.sql", "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'clients');\n");
        write("008_other.sql", "SELECT 8;\n");

        Catalog catalog = CatalogLoader.fromDirectory(dir);

        assertThat(numbers(catalog)).containsExactly(7L, 8L);
        assertThat(catalog.find(7).orElseThrow().verifier().source()).isEqualTo(shown("007_crm.verify.sql"));
        assertThat(catalog.find(8).orElseThrow().verifier()).isSameAs(Verifier.NONE);
    }

    @Test
    void orphanVerifyFileIsReported() throws IOException {
        write("007_crm.sql", "SELECT 7;\n");
        write("007_crm_schema.verify.sql", "SELECT true;\n");

        assertThat(problems()).containsExactly(shown("007_crm_schema.verify.sql")
                + ": verify file without a migration 007_crm_schema.sql; rename it to match its migration");
    }

    @Test
    void nonSqlFilesAreIgnored() throws IOException {
        write("007_crm.sql", "SELECT 7;\n");
        write("README.md", "# migrations\n");
        write("007_crm.sql.bak", "old\n");
        write("notes.txt", "");
        write(".DS_Store", new byte[] {0, 1, 2});
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/history.md"), "old notes\n");

        assertThat(numbers(CatalogLoader.fromDirectory(dir))).containsExactly(7L);
    }

    @Test
    void sqlFileInASubdirectoryIsReportedNotSkipped() throws IOException {
        write("007_crm.sql", "SELECT 7;\n");
        Files.createDirectories(dir.resolve("archive/2023"));
        Files.writeString(dir.resolve("archive/2023/001_old.sql"), "SELECT 1;\n");

        assertThat(problems()).singleElement().asString()
                .startsWith(dir + " holds SQL files in subdirectories, which Strata does not read: archive/2023/001_old.sql;")
                .contains("move them into " + dir + " as NNN_description.sql or out of the location");
    }

    @Test
    void directoryNamedLikeAMigrationIsReported() throws IOException {
        write("007_crm.sql", "SELECT 7;\n");
        Files.createDirectories(dir.resolve("009_folder.sql"));

        assertThat(problems()).containsExactly(shown("009_folder.sql")
                + ": is a directory, not a migration file; rename or move it");
    }

    @Test
    void prismaLikeNestedLayoutIsRefusedNamingWhatWasFound() throws IOException {
        for (String name : List.of("20210101000000_init", "20210102000000_users", "20210103000000_posts",
                "20210104000000_tags")) {
            Files.createDirectories(dir.resolve(name));
            Files.writeString(dir.resolve(name + "/migration.sql"), "CREATE TABLE " + name.substring(15) + " (id int);\n");
        }
        write("migration_lock.toml", "provider = \"postgresql\"\n");

        assertThat(problems()).singleElement().asString()
                .contains("20210101000000_init/migration.sql, 20210102000000_users/migration.sql, "
                        + "20210103000000_posts/migration.sql (and 1 more)")
                .contains("Prisma's <timestamp>_<name>/migration.sql")
                .doesNotContain("no migrations found");
    }

    @Test
    void danglingSymlinkIsReported() throws IOException {
        write("001_init.sql", "SELECT 1;\n");
        Files.createSymbolicLink(dir.resolve("002_gone.sql"), dir.resolve("elsewhere/002_gone.sql"));

        assertThat(problems()).containsExactly(shown("002_gone.sql") + ": symbolic link to "
                + dir.resolve("elsewhere/002_gone.sql") + ", which does not exist; fix the link or remove it");
    }

    @Test
    void symlinkToItselfIsReported() throws IOException {
        write("001_init.sql", "SELECT 1;\n");
        Files.createSymbolicLink(dir.resolve("002_self.sql"), Path.of("002_self.sql"));

        assertThat(problems()).singleElement().asString()
                .startsWith(shown("002_self.sql") + ": symbolic link that loops (")
                .endsWith("); fix the link or remove it");
    }

    @Test
    void symlinkLoopBetweenTwoLinksIsReportedForEach() throws IOException {
        write("001_init.sql", "SELECT 1;\n");
        Files.createSymbolicLink(dir.resolve("002_a.sql"), Path.of("003_b.sql"));
        Files.createSymbolicLink(dir.resolve("003_b.sql"), Path.of("002_a.sql"));

        assertThat(problems()).hasSize(2).allSatisfy(p -> assertThat(p).contains(": symbolic link that loops ("));
    }

    @Test
    void symlinkToAFileIsFollowedAndNamedByTheLink(@TempDir Path elsewhere) throws IOException {
        Path target = Files.writeString(elsewhere.resolve("shared.sql"), "-- Description: shared\nSELECT 2;\n");
        write("001_init.sql", "SELECT 1;\n");
        Files.createSymbolicLink(dir.resolve("002_shared.sql"), target);

        CatalogMigration m = load(2);

        assertThat(m.file()).isEqualTo(shown("002_shared.sql"));
        assertThat(m.description()).isEqualTo("shared");
        assertThat(m.sql()).isEqualTo("-- Description: shared\nSELECT 2;\n");
    }

    @Test
    void upperCaseSqlExtensionIsRead() throws IOException {
        write("001_init.sql", "SELECT 1;\n");
        write("002_users.SQL", "CREATE TABLE users (id int);\n");
        write("003_more.Sql", "SELECT 3;\n");

        Catalog catalog = CatalogLoader.fromDirectory(dir);

        assertThat(numbers(catalog)).containsExactly(1L, 2L, 3L);
        assertThat(catalog.find(2).orElseThrow().name()).isEqualTo("002_users");
        assertThat(catalog.find(2).orElseThrow().file()).isEqualTo(shown("002_users.SQL"));
    }

    @Test
    void upperCaseDownFileIsNeverRead() throws IOException {
        write("001_init.UP.SQL", "CREATE TABLE t (id int);\n");
        write("001_init.DOWN.SQL", new byte[] {(byte) 0xFF, 0});

        Catalog catalog = CatalogLoader.fromDirectory(dir);

        assertThat(numbers(catalog)).containsExactly(1L);
        assertThat(catalog.find(1).orElseThrow().name()).isEqualTo("001_init");
    }

    @Test
    void golangMigrateDownFileIsNeverRead() throws IOException {
        write("001_init.up.sql", "CREATE TABLE t (id int);\n");
        write("001_init.down.sql", "DROP SCHEMA public CASCADE;\n");

        Catalog catalog = CatalogLoader.fromDirectory(dir);

        assertThat(numbers(catalog)).containsExactly(1L);
        assertThat(catalog.find(1).orElseThrow().file()).isEqualTo(shown("001_init.up.sql"));
    }

    @Test
    void nulByteIsReportedWithLineAndColumn() throws IOException {
        write("001_init.sql", "SELECT 1;\n");
        write("002_nul.sql", "SELECT 1;\nSELECT 'a\0b';\n");

        assertThat(problems()).singleElement().asString()
                .startsWith(shown("002_nul.sql") + ":2:10: NUL byte; PostgreSQL cannot accept NUL in query text;");
    }

    @Test
    void nulByteInAVerifyFileIsReported() throws IOException {
        write("001_init.sql", "SELECT 1;\n");
        write("001_init.verify.sql", "SELECT true\0;\n");

        assertThat(problems()).singleElement().asString()
                .startsWith(shown("001_init.verify.sql") + ":1:12: NUL byte;");
    }

    @Test
    void utf16FileIsReportedAsNotUtf8() throws IOException {
        write("001_init.sql", "SELECT 1;\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));

        assertThat(problems()).singleElement().asString()
                .startsWith(shown("001_init.sql") + ":1:2: NUL byte;").contains("UTF-16");
    }

    @Test
    void malformedFileNameInDirectoryIsReported() throws IOException {
        write("7_crm.sql", "SELECT 7;\n");

        assertThat(problems()).singleElement().asString()
                .startsWith(shown("7_crm.sql") + ": malformed migration file name; expected NNN_description.sql");
    }

    @Test
    void duplicateNumbersWithDifferentPaddingInDirectory() throws IOException {
        write("0007_x.sql", "SELECT 1;\n");
        write("007_y.sql", "SELECT 2;\n");

        assertThat(problems()).containsExactly(shown("007_y.sql") + ": duplicate migration number 007, also used by "
                + shown("0007_x.sql") + "; renumber one of them");
    }

    @Test
    void numbersSortNumericallyWhateverTheirPadding() throws IOException {
        write("999_a.sql", "SELECT 1;\n");
        write("1000_b.sql", "SELECT 2;\n");
        write("0998_c.sql", "SELECT 3;\n");

        Catalog catalog = CatalogLoader.fromDirectory(dir);

        assertThat(numbers(catalog)).containsExactly(998L, 999L, 1000L);
        assertThat(catalog.find(1000).orElseThrow().displayNumber()).isEqualTo("1000");
        assertThat(catalog.find(998).orElseThrow().name()).isEqualTo("0998_c");
    }

    @Test
    void numberTooLargeForALongIsReported() throws IOException {
        write("99999999999999999999_x.sql", "SELECT 1;\n");

        assertThat(problems()).containsExactly(shown("99999999999999999999_x.sql")
                + ": migration number 99999999999999999999 is too large");
    }

    @Test
    void emptyFileIsReported() throws IOException {
        write("007_crm.sql", "");
        write("008_blank.sql", "\n   \n\t\n");
        write("009_ok.sql", "SELECT 9;\n");

        assertThat(problems()).containsExactly(
                shown("007_crm.sql") + ": empty migration file; write the SQL or delete the file",
                shown("008_blank.sql") + ": empty migration file; write the SQL or delete the file");
    }

    @Test
    void commentOnlyFileIsNotEmpty() throws IOException {
        write("007_placeholder.sql", "-- intentionally left blank\n");

        assertThat(load(7).description()).isEqualTo("placeholder");
    }

    @Test
    void invalidUtf8IsReportedWithLineAndByteOffset() throws IOException {
        byte[] good = "SELECT 'é';\nSELECT '".getBytes(UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(good);
        bytes.write(new byte[] {(byte) 0xE9, '\'', ';', '\n'}); // latin-1 é
        write("007_latin1.sql", bytes.toByteArray());

        assertThat(good.length).isEqualTo(21);
        assertThat(problems()).containsExactly(shown("007_latin1.sql")
                + ":2: invalid UTF-8 at byte 21; save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)");
    }

    @Test
    void invalidUtf8OnTheFirstByte() throws IOException {
        write("007_bin.sql", new byte[] {(byte) 0xFF, 'S', 'E', 'L'});

        assertThat(problems()).singleElement().asString().startsWith(shown("007_bin.sql") + ":1: invalid UTF-8 at byte 0;");
    }

    @Test
    void missingDirectoryIsReportedAsMissing() {
        Path missing = dir.resolve("no-such-folder");

        assertThatThrownBy(() -> CatalogLoader.fromDirectory(missing))
                .isInstanceOf(CatalogException.class)
                .hasMessage("migration location " + missing + " does not exist; pass an existing folder with "
                        + "--location or STRATA_LOCATION");
    }

    @Test
    void fileAsLocationIsReportedAsNotADirectory() throws IOException {
        Path file = write("007_crm.sql", "SELECT 7;\n");

        assertThatThrownBy(() -> CatalogLoader.fromDirectory(file))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("migration location " + file + " is not a directory;");
    }

    @Test
    void emptyDirectoryIsAnError() {
        assertThat(problems()).containsExactly("no migrations found in " + dir + "; the folder is empty; "
                + "migrations are files named NNN_description.sql (e.g. 001_init.sql); "
                + "pass --allow-empty if an empty location is intended");
    }

    @Test
    void emptyDirectoryIsAnEmptyCatalogWhenAllowed() {
        assertThat(CatalogLoader.fromDirectory(dir, true).size()).isZero();
    }

    @Test
    void folderLinkLoopEndsTheWalkAndSqlBeyondItIsStillReported() throws IOException {
        write("001_init.sql", "SELECT 1;\n");
        Files.createDirectories(dir.resolve("docs"));
        Files.createSymbolicLink(dir.resolve("docs/up"), Path.of(".."));
        Files.writeString(dir.resolve("docs/002_stray.sql"), "SELECT 2;\n");

        assertThat(problems()).singleElement().asString().contains(": docs/002_stray.sql;");
    }

    @Test
    void directoryWithoutMigrationsNamesTheFilesThere() throws IOException {
        write("README.md", "# migrations\n");
        write("001_init.down.sql", "DROP TABLE t;\n");
        write("notes.txt", "");

        assertThat(problems()).singleElement().asString()
                .startsWith("no migrations found in " + dir + "; files there: 001_init.down.sql, README.md, notes.txt;");
    }

    @Test
    void checksumIsSha256OfTheExactBytes() throws Exception {
        byte[] bytes = "\uFEFF-- Description: crlf\r\nSELECT 'ü';\r\n".getBytes(UTF_8);
        write("007_crlf.sql", bytes);

        CatalogMigration m = load(7);

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(m.checksum()).isEqualTo(expected).hasSize(64).isLowerCase();
        assertThat(m.sizeBytes()).isEqualTo(bytes.length);
        assertThat(m.sql()).isEqualTo(new String(bytes, UTF_8));
        assertThat(m.description()).isEqualTo("crlf");
    }

    @Test
    void checksumChangesWithLineEndings() throws IOException {
        write("007_a.sql", "SELECT 1;\n");
        write("008_a.sql", "SELECT 1;\r\n");

        Catalog catalog = CatalogLoader.fromDirectory(dir);

        assertThat(catalog.find(7).orElseThrow().checksum()).isNotEqualTo(catalog.find(8).orElseThrow().checksum());
    }

    @Test
    void dbmateDownSectionIsBlankedButKeepsLengthAndLines() throws IOException {
        String sql = "-- migrate:up\nCREATE TABLE t (id int);\n\n-- migrate:down\nDROP TABLE t;\n";
        write("007_dbmate.sql", sql);

        CatalogMigration m = load(7);

        assertThat(m.sql()).isEqualTo(sql);
        assertThat(m.executableSql()).hasSameSizeAs(sql)
                .startsWith("-- migrate:up\nCREATE TABLE t (id int);\n\n")
                .doesNotContain("DROP")
                .doesNotContain("migrate:down");
        assertThat(m.executableSql().lines().count()).isEqualTo(sql.lines().count());
        assertThat(m.executableSql().substring(sql.indexOf("-- migrate:down"))).isBlank();
        assertThat(m.transactional()).isTrue();
    }

    @Test
    void dbmateTransactionFalseMarksTheMigrationNonTransactional() throws IOException {
        write("007_idx.sql", "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n"
                + "-- migrate:down\nDROP INDEX i;\n");

        assertThat(load(7).transactional()).isFalse();
    }

    @Test
    void fileWithoutDownMarkerRunsAsWritten() throws IOException {
        String sql = "CREATE TABLE t (id int);\nSELECT 1; -- migrate:down is only a comment here\n";
        write("007_plain.sql", sql);

        assertThat(load(7).executableSql()).isEqualTo(sql);
    }

    @Test
    void fiveHundredFilesLoadInPlanOrder() throws IOException {
        // 1..250 each depend on the next one, 251..500 are independent
        for (int n = 1; n <= 500; n++) {
            String header = n < 250 ? "-- Dependencies: " + (n + 1) + "\n" : "";
            write(String.format("%03d_generated_%d.sql", n, n), header + "CREATE TABLE t" + n + " (id int);\n");
        }
        List<Long> expected = new ArrayList<>();
        LongStream.rangeClosed(1, 250).map(n -> 251 - n).forEach(expected::add);
        LongStream.rangeClosed(251, 500).forEach(expected::add);

        Catalog catalog = org.junit.jupiter.api.Assertions.assertTimeout(Duration.ofSeconds(30),
                () -> CatalogLoader.fromDirectory(dir));

        assertThat(catalog.size()).isEqualTo(500);
        assertThat(numbers(catalog)).containsExactlyElementsOf(expected);
        assertThat(catalog.find(499).orElseThrow().description()).isEqualTo("generated 499");
        assertThat(catalog.withDependencies(1)).hasSize(250);
    }

    @Test
    void problemInADependencyIsReportedNotACrash() throws IOException {
        write("007_crm.sql", "");
        write("010_x.sql", "-- Dependencies: 7\nSELECT 1;\n");

        assertThat(problems()).containsExactly(shown("007_crm.sql") + ": empty migration file; write the SQL or delete the file");
    }
}
