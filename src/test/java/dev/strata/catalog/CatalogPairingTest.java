package dev.strata.catalog;

import org.junit.jupiter.api.Tag;
import dev.strata.api.Migration;
import dev.strata.testing.Fixtures;
import static dev.strata.testing.Fixtures.CLASSPATH;
import static dev.strata.testing.Fixtures.bundled;
import static dev.strata.testing.Fixtures.cls;
import static dev.strata.testing.Fixtures.file;
import static dev.strata.testing.Fixtures.numbers;
import static dev.strata.testing.Fixtures.shown;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class CatalogPairingTest {

    private static final String TEST_CLASS = Fixtures.TestMigration.class.getName();

    private static List<String> problems(List<SourceFile> files, List<Migration> classes) {
        CatalogException e = catchThrowableOfType(CatalogException.class, () -> bundled(files, classes));
        assertThat(e).as("expected a CatalogException").isNotNull();
        return e.problems();
    }

    @Test
    void pairsEveryFileWithItsClass() {
        Catalog catalog = bundled(
                List.of(file("001_init.sql", "CREATE TABLE a (id int);\n"), file("007_crm.sql"), file("010_fix.sql")),
                List.of(cls(10, "010_fix.sql", 7), cls(1, "001_init.sql"), cls(7, "007_crm.sql", 1)));

        assertThat(catalog.location()).isEqualTo(CLASSPATH);
        assertThat(numbers(catalog)).containsExactly(1L, 7L, 10L);
        CatalogMigration first = catalog.find(1).orElseThrow();
        assertThat(first.name()).isEqualTo("001_init");
        assertThat(first.file()).isEqualTo("db/migrations/001_init.sql");
        assertThat(first.sql()).isEqualTo("CREATE TABLE a (id int);\n");
        assertThat(first.description()).isEqualTo("class description of 001_init.sql");
        assertThat(first.origin()).isEqualTo(TEST_CLASS);
        assertThat(first.verifier().source()).isEqualTo(TEST_CLASS + "#verify");
        assertThat(first.checksum()).isEqualTo(CatalogLoader.sha256("CREATE TABLE a (id int);\n".getBytes(UTF_8)));
        assertThat(catalog.find(10).orElseThrow().dependencies()).containsExactly(7L);
    }

    @Test
    void classDependenciesAreSortedAscending() {
        Catalog catalog = bundled(List.of(file("001_a.sql"), file("007_b.sql"), file("010_c.sql"), file("012_d.sql")),
                List.of(cls(1, "001_a.sql"), cls(7, "007_b.sql"), cls(10, "010_c.sql"), cls(12, "012_d.sql", 10, 1, 7)));

        assertThat(catalog.find(12).orElseThrow().dependencies()).containsExactly(1L, 7L, 10L);
    }

    @Test
    void classSettingsReachTheCatalog() {
        Migration concurrent = new Fixtures.TestMigration(7, "007_idx.sql") {
            @Override
            public boolean transactional() {
                return false;
            }

            @Override
            public Map<String, String> allowances() {
                return Map.of("truncate", "staging table is rebuilt on every deploy");
            }
        };

        CatalogMigration m = bundled(List.of(file("007_idx.sql")), List.of(concurrent)).find(7).orElseThrow();

        assertThat(m.transactional()).isFalse();
        assertThat(m.allowances()).containsExactly(Map.entry("truncate", "staging table is rebuilt on every deploy"));
    }

    @Test
    void sqlFileWithoutClassIsNamedAndTheClassNameSuggested() {
        List<String> problems = problems(List.of(file("007_crm_system_schema.sql"), file("010_fix.sql")),
                List.of(cls(10, "010_fix.sql")));

        assertThat(problems).containsExactly("db/migrations/007_crm_system_schema.sql: SQL file without a migration "
                + "class; add a class Migration007 extending dev.strata.api.Migration (or run: strata create)");
    }

    @Test
    void suggestedClassNameKeepsFourDigitNumbers() {
        assertThat(problems(List.of(file("1234_big.sql")), List.of()))
                .singleElement().asString().contains("add a class Migration1234 ");
    }

    @Test
    void classWithoutSqlFileNamesTheClassAndTheMissingFile() {
        List<String> problems = problems(List.of(file("001_a.sql")),
                List.of(cls(1, "001_a.sql"), cls(9, "009_add_invoices.sql")));

        assertThat(problems).containsExactly(TEST_CLASS + ": declares classpath:db/migrations/009_add_invoices.sql, "
                + "which does not exist; create the file or fix sqlFile()");
    }

    @Test
    void classNamingAnotherFileForItsNumberIsReportedWithTheRealFile() {
        List<String> problems = problems(List.of(file("007_crm.sql")), List.of(cls(7, "007_crm_schema.sql")));

        assertThat(problems).containsExactly(TEST_CLASS + ": declares classpath:db/migrations/007_crm_schema.sql, "
                + "which does not exist (the file for number 7 is db/migrations/007_crm.sql); create the file or fix sqlFile()");
    }

    @Test
    void classWhoseNumberDiffersFromItsFilePrefixIsReported() {
        List<String> problems = problems(List.of(file("007_crm.sql")), List.of(cls(8, "007_crm.sql")));

        assertThat(problems).contains(TEST_CLASS + ": number 8 does not match its sqlFile 007_crm.sql; make them agree");
    }

    @Test
    void classWithMalformedSqlFileNameIsReported() {
        List<String> problems = problems(List.of(file("007_crm.sql")), List.of(cls(7, "crm.sql")));

        assertThat(problems).contains(TEST_CLASS + ": sqlFile 'crm.sql' is not a migration file name NNN_description.sql");
    }

    @Test
    void duplicateFileNumbersNameBothFiles() {
        List<String> problems = problems(List.of(file("007_a.sql"), file("007_b.sql")), List.of(cls(7, "007_a.sql")));

        assertThat(problems).containsExactly("db/migrations/007_b.sql: duplicate migration number 007, also used by "
                + "db/migrations/007_a.sql; renumber one of them");
    }

    @Test
    void differentlyPaddedPrefixesAreTheSameNumber() {
        List<String> problems = problems(List.of(file("0007_x.sql"), file("007_y.sql")), List.of(cls(7, "0007_x.sql")));

        assertThat(problems).containsExactly("db/migrations/007_y.sql: duplicate migration number 007, also used by "
                + "db/migrations/0007_x.sql; renumber one of them");
    }

    @Test
    void distinctNumbersWithSimilarNamesAreNotDuplicates() {
        Catalog catalog = bundled(List.of(file("007_a.sql"), file("070_a.sql"), file("700_a.sql")),
                List.of(cls(7, "007_a.sql"), cls(70, "070_a.sql"), cls(700, "700_a.sql")));

        assertThat(numbers(catalog)).containsExactly(7L, 70L, 700L);
    }

    @Test
    void duplicateFileNumbersDoNotClaimAnExistingFileIsMissing() {
        List<String> problems = problems(List.of(file("007_a.sql"), file("007_b.sql")), List.of(cls(7, "007_b.sql")));

        assertThat(problems).anyMatch(p -> p.contains("duplicate migration number 007"));
        assertThat(problems).noneMatch(p -> p.contains("007_b.sql, which does not exist"));
    }

    @Test
    void twoClassesWithTheSameNumberAreReported() {
        Migration other = new Fixtures.TestMigration(7, "007_a.sql") { };

        List<String> problems = problems(List.of(file("007_a.sql")), List.of(cls(7, "007_a.sql"), other));

        assertThat(problems).containsExactly(other.getClass().getName() + ": duplicate migration number 007, "
                + "also declared by " + TEST_CLASS + "; renumber one of them");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7_x.sql", "07_x.sql", "abc.sql", "007-x.sql", "007_.sql", "007x.sql", "_007_x.sql",
            "007_ x.sql", "007_x.sql.bak"})
    void malformedFileNamesAreReportedWithTheExpectedPattern(String name) {
        List<String> problems = problems(List.of(file(name), file("008_ok.sql")), List.of(cls(8, "008_ok.sql")));

        assertThat(problems).containsExactly("db/migrations/" + name + ": malformed migration file name; expected "
                + "NNN_description.sql (3 or more digits, an underscore, letters, digits or underscores), e.g. 017_add_invoices.sql");
    }

    @ParameterizedTest
    @ValueSource(strings = {"007_x.sql", "1000_x.sql", "007_add_2_columns.sql", "007_X.sql"})
    void wellFormedFileNamesAreAccepted(String name) {
        long number = Long.parseLong(name.substring(0, name.indexOf('_')));

        Catalog catalog = bundled(List.of(file(name)), List.of(cls((int) number, name)));

        assertThat(catalog.find(number)).get().extracting(CatalogMigration::file).isEqualTo(shown(name));
    }

    @Test
    void unknownDependencyNamesTheFileAndTheMissingNumber() {
        List<String> problems = problems(List.of(file("010_fix.sql")), List.of(cls(10, "010_fix.sql", 9)));

        assertThat(problems).containsExactly("db/migrations/010_fix.sql: depends on migration 009, which is not in "
                + "classpath:db/migrations; add it or remove the dependency");
    }

    @Test
    void selfDependencyIsReportedOnceAndNotAsACycle() {
        List<String> problems = problems(List.of(file("007_crm.sql")), List.of(cls(7, "007_crm.sql", 7)));

        assertThat(problems).containsExactly("db/migrations/007_crm.sql: depends on itself; remove 007 from its dependencies");
    }

    @Test
    void cycleListsItsFilesInDependencyOrder() {
        List<String> problems = problems(
                List.of(file("001_a.sql"), file("002_b.sql"), file("003_c.sql"), file("004_d.sql")),
                List.of(cls(1, "001_a.sql", 2), cls(2, "002_b.sql", 3), cls(3, "003_c.sql", 1), cls(4, "004_d.sql", 1)));

        assertThat(problems).containsExactly("dependency cycle: db/migrations/001_a.sql -> db/migrations/002_b.sql"
                + " -> db/migrations/003_c.sql -> db/migrations/001_a.sql (-> means 'depends on'); remove one of these dependencies");
    }

    @Test
    void cycleReachedFromOutsideListsOnlyTheCycle() {
        List<String> problems = problems(List.of(file("001_a.sql"), file("002_b.sql"), file("003_c.sql")),
                List.of(cls(1, "001_a.sql", 2), cls(2, "002_b.sql", 3), cls(3, "003_c.sql", 2)));

        assertThat(problems).singleElement().asString()
                .startsWith("dependency cycle: db/migrations/002_b.sql -> db/migrations/003_c.sql -> db/migrations/002_b.sql ")
                .doesNotContain("001_a.sql");
    }

    @Test
    void severalProblemsAreReportedTogether() {
        CatalogException e = catchThrowableOfType(CatalogException.class, () -> bundled(
                List.of(file("001_a.sql"), file("002_b.sql"), file("003_c.sql"), file("004_orphan.sql"), file("5_bad.sql")),
                List.of(cls(1, "001_a.sql", 2), cls(2, "002_b.sql", 1), cls(3, "003_c.sql", 99))));

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "db/migrations/5_bad.sql: malformed migration file name; expected NNN_description.sql (3 or more digits, "
                        + "an underscore, letters, digits or underscores), e.g. 017_add_invoices.sql",
                "db/migrations/004_orphan.sql: SQL file without a migration class; add a class Migration004 extending "
                        + "dev.strata.api.Migration (or run: strata create)",
                "db/migrations/003_c.sql: depends on migration 099, which is not in classpath:db/migrations; add it or "
                        + "remove the dependency",
                "dependency cycle: db/migrations/001_a.sql -> db/migrations/002_b.sql -> db/migrations/001_a.sql "
                        + "(-> means 'depends on'); remove one of these dependencies");
        assertThat(e.getMessage()).startsWith("4 problems in the migration catalog:\n  ")
                .contains("\n  dependency cycle: ");
    }

    @Test
    void singleProblemIsTheWholeMessage() {
        CatalogException e = catchThrowableOfType(CatalogException.class,
                () -> bundled(List.of(file("010_fix.sql")), List.of(cls(10, "010_fix.sql", 9))));

        assertThat(e.getMessage()).isEqualTo(e.problems().get(0));
    }

    @Test
    void dependencyOnAFileWithoutClassReportsTheMissingClassNotACrash() {
        List<String> problems = problems(List.of(file("001_a.sql"), file("002_b.sql")), List.of(cls(2, "002_b.sql", 1)));

        assertThat(problems).containsExactly("db/migrations/001_a.sql: SQL file without a migration class; add a class "
                + "Migration001 extending dev.strata.api.Migration (or run: strata create)");
    }

    @Test
    void unreadableFileIsReportedWithItsReason() {
        SourceFile missing = new SourceFile("007_x.sql", "db/migrations/007_x.sql", null,
                "listed in the index but not on the classpath");

        assertThat(problems(List.of(missing), List.of(cls(7, "007_x.sql"))))
                .containsExactly("db/migrations/007_x.sql: listed in the index but not on the classpath");
    }

    @Test
    void emptyBundledFileIsReported() {
        assertThat(problems(List.of(file("007_x.sql", " \n\uFEFF\n")), List.of(cls(7, "007_x.sql"))))
                .containsExactly("db/migrations/007_x.sql: empty migration file; write the SQL or delete the file");
    }

    @Test
    void emptyCatalogIsValid() {
        assertThat(bundled(List.of(), List.of()).size()).isZero();
    }
}
