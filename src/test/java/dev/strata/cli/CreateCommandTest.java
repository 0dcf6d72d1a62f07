package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.api.Migration;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogLoader;
import dev.strata.catalog.CatalogMigration;
import dev.strata.report.ExitCodes;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code strata create}: the next-numbered SQL file and class in a copy of this project, a class
 * that compiles and pairs with its file, and SQL-only folders.
 */
@Tag("cli")
@QuarkusMainTest
class CreateCommandTest {

    private static final Path SQL_DIR = Path.of("src/main/resources/db/migrations");
    private static final Path CLASS_DIR = Path.of("src/main/java/crm/migrations");

    @TempDir
    Path project;

    @TempDir
    Path work;

    @BeforeEach
    void copyProject() throws IOException {
        copyDir(SQL_DIR, project.resolve(SQL_DIR));
        copyDir(CLASS_DIR, project.resolve(CLASS_DIR));
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    private static String lastLine(String text) {
        return text.strip().lines().reduce((a, b) -> b).orElse("");
    }

    @Test
    void createWritesTheNextSqlFileAndAClassThatCompilesAndPairs(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult result = launcher.launch("create", "Add invoices", "--depends-on", "7,13",
                "--project", project.toString());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        Path sql = project.resolve(SQL_DIR).resolve("017_add_invoices.sql");
        Path java = project.resolve(CLASS_DIR).resolve("Migration017.java");
        assertThat(result.getOutput()).contains("Created " + sql).contains("Created " + java);
        assertThat(Files.readString(sql)).contains("-- Dependencies: 7, 13")
                .contains("-- Description: Add invoices").contains("-- Migration 017: Add invoices");
        assertThat(java).exists();

        // The generated class compiles against the application's classes ...
        Path classes = Files.createDirectories(work.resolve("classes"));
        compile(java, classes);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                CreateCommandTest.class.getClassLoader())) {
            Migration created = (Migration) loader.loadClass("crm.migrations.Migration017")
                    .getDeclaredConstructor().newInstance();
            assertThat(created.number()).isEqualTo(17);
            assertThat(created.sqlFile()).isEqualTo("017_add_invoices.sql");
            assertThat(created.description()).isEqualTo("Add invoices");
            assertThat(created.dependencies()).isEqualTo(Set.of(7, 13));
            assertThat(created.transactional()).isTrue();

            // ... and pairs with its SQL file in the catalog, like the bundled ones.
            Path resources = work.resolve("resources");
            copyDir(project.resolve(SQL_DIR), resources.resolve(CatalogLoader.CLASSPATH_LOCATION));
            List<String> index;
            try (Stream<Path> files = Files.list(resources.resolve(CatalogLoader.CLASSPATH_LOCATION))) {
                index = files.map(p -> p.getFileName().toString()).sorted().toList();
            }
            Files.writeString(resources.resolve(CatalogLoader.CLASSPATH_INDEX), String.join("\n", index) + "\n");
            List<Migration> all = new ArrayList<>(Engines.bundledMigrations());
            all.add(created);
            Catalog catalog;
            // parent null: only the copied folder's INDEX and files, not the application's own
            try (URLClassLoader files = new URLClassLoader(new URL[] {resources.toUri().toURL()}, null)) {
                catalog = CatalogLoader.fromClasspath(all, files);
            }
            assertThat(catalog.size()).isEqualTo(9);
            CatalogMigration paired = catalog.find(17).orElseThrow();
            assertThat(paired.name()).isEqualTo("017_add_invoices");
            assertThat(paired.origin()).isEqualTo("crm.migrations.Migration017");
            assertThat(paired.dependencies()).containsExactly(7L, 13L);
            assertThat(paired.checksum()).isEqualTo(CatalogLoader.sha256(Files.readAllBytes(sql)));
            assertThat(catalog.migrations().get(catalog.migrations().size() - 1).number()).isEqualTo(17);

            // Its verify step fails until the author writes it.
            assertThatThrownBy(() -> created.verify(null).await().indefinitely())
                    .hasMessageContaining("verify not written");
            assertThatThrownBy(() -> paired.verifier().verify(null).await().indefinitely())
                    .hasMessageContaining("verify not written for 017_add_invoices.sql");
        }
    }

    private static void compile(Path source, Path out) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("a JDK (javac) runs the tests").isNotNull();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = compiler.getTask(null, files, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(),
                            "--release", "17", "-proc:none"),
                    null, files.getJavaFileObjects(source.toFile())).call();
            assertThat(ok).as("javac " + source + ": " + diagnostics.getDiagnostics()).isTrue();
        }
    }

    @Test
    void createTwiceWithTheSameDescriptionTakesTheNextNumbers(QuarkusMainLauncher launcher) {
        LaunchResult first = launcher.launch("create", "Add invoices", "--project", project.toString());
        LaunchResult second = launcher.launch("create", "Add invoices", "--project", project.toString());
        assertThat(first.exitCode()).as(first.getErrorOutput()).isZero();
        assertThat(second.exitCode()).as(second.getErrorOutput()).isZero();
        assertThat(first.getOutput()).contains("017_add_invoices.sql").contains("Migration017.java");
        assertThat(second.getOutput()).contains("018_add_invoices.sql").contains("Migration018.java");
        assertThat(project.resolve(SQL_DIR).resolve("018_add_invoices.sql")).exists();
        assertThat(project.resolve(CLASS_DIR).resolve("Migration018.java")).exists();
    }

    @Test
    void aDescriptionWithoutLettersOrDigitsIsAUsageError(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch("create", "!!!", "--project", project.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(lastLine(result.getErrorOutput())).contains("'!!!'").contains("no letters or digits");
        try (Stream<Path> files = Files.list(project.resolve(SQL_DIR))) {
            assertThat(files.count()).as("nothing written").isEqualTo(8);
        }
    }

    @Test
    void anUnknownDependencyIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("create", "Add invoices", "--depends-on", "9", "--project", project.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("--depends-on 9: no migration 009");
        assertThat(project.resolve(SQL_DIR).resolve("017_add_invoices.sql")).doesNotExist();
    }

    @Test
    void withALocationOnlyTheSqlFileIsWrittenAndListShowsItPending(QuarkusMainLauncher launcher) throws IOException {
        Path location = Files.createDirectories(work.resolve("sql-only"));
        Engines.write(location, "001_people.sql", "CREATE TABLE IF NOT EXISTS people (id int);\n");
        LaunchResult result = launcher.launch("create", "Add pets", "--depends-on", "1", "--location", location.toString(),
                "--project", project.toString());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        Path sql = location.resolve("002_add_pets.sql");
        assertThat(result.getOutput()).contains("Created " + sql).doesNotContain(".java");
        assertThat(Files.readString(sql)).contains("-- Dependencies: 1");
        try (Stream<Path> files = Files.list(location)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("001_people.sql", "002_add_pets.sql");
        }
        try (Stream<Path> files = Files.list(project.resolve(CLASS_DIR))) {
            assertThat(files.count()).as("no class written").isEqualTo(8);
        }

        try (TestDatabase db = TestDatabase.create("create")) {
            LaunchResult list = launcher.launch("list", "--location", location.toString(), "--url", db.url());
            assertThat(list.exitCode()).as(list.getErrorOutput()).isZero();
            assertThat(list.getOutput()).containsPattern("002\\s+002_add_pets\\s+001\\s+pending")
                    .contains("2 migrations: 0 applied, 2 pending.");
        }
    }
}
