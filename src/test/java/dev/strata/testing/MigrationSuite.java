package dev.strata.testing;

import dev.strata.api.Migration;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogLoader;
import dev.strata.db.ConnectionPool;
import dev.strata.engine.MigrationSuiteRun;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The migration suite as JUnit tests, what {@code strata test} runs: one dynamic test per migration,
 * named after it, in plan order (its verify step fails before it runs and passes after), then
 * {@code re-run applies nothing} and {@code validate is clean}, on a fresh database dropped afterwards.
 * An application's suite is two lines:
 *
 * <pre>{@code
 * @QuarkusTest
 * class CrmMigrationsTest extends MigrationSuite {}
 * }</pre>
 *
 * <p>The migrations are the application's CDI beans with the bundled SQL files, or the SQL-only
 * directory of {@link #location()}. {@code @QuarkusTest} goes on the subclass: Quarkus makes only
 * classes that carry it injectable test instances. Tagged {@code migration-suite}:
 * {@code ./mvnw test -Dgroups=migration-suite} runs only the suites.
 */
@Tag("migration-suite")
public abstract class MigrationSuite {

    @Inject
    @Any
    Instance<Migration> migrations;

    /** A directory of SQL-only migrations to test instead of the bundled ones; null (the default) for the bundled ones. */
    protected Path location() {
        return null;
    }

    /**
     * The URL of an empty database to run the suite in, used as it is; null (the default) for a
     * fresh database from {@link TestDatabase}, dropped afterwards.
     */
    protected String scratchUrl() {
        return null;
    }

    /** True to accept migrations without a verify step; false (the default) makes each one a failure. */
    protected boolean allowNoVerify() {
        return false;
    }

    /** The catalog under test: {@link #location()}, or the bundled SQL files with their CDI-discovered classes. */
    protected Catalog catalog() {
        Path location = location();
        if (location == null && migrations == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " needs @QuarkusTest: the migration classes "
                    + "are CDI beans, injected only into a Quarkus test (or override location())");
        }
        return location != null ? CatalogLoader.fromDirectory(location)
                : CatalogLoader.fromClasspath(migrations, Thread.currentThread().getContextClassLoader());
    }

    /** One test per migration in plan order, then the re-run and validate; the database goes when the stream closes. */
    @TestFactory
    Stream<DynamicTest> migrationSuite() {
        Catalog catalog = catalog();
        TestDatabase fresh = scratchUrl() == null ? TestDatabase.create("suite") : null;
        ConnectionPool database = Engines.database(fresh == null ? scratchUrl() : fresh.url());
        MigrationSuiteRun run = new MigrationSuiteRun(catalog, database, "test", allowNoVerify());
        Stream<DynamicTest> perMigration = catalog.migrations().stream().map(m -> dynamicTest(m.name(),
                () -> expectOk(run.check(m).await().indefinitely())));
        Stream<DynamicTest> finish = Stream.of(
                dynamicTest("re-run applies nothing", () -> expectOk(run.rerun().await().indefinitely())),
                dynamicTest("validate is clean", () -> expectOk(run.validate().await().indefinitely())));
        return Stream.concat(perMigration, finish).onClose(() -> {
            database.close();
            if (fresh != null) {
                fresh.close();
            }
        });
    }

    private static void expectOk(MigrationSuiteRun.Check check) {
        String problems = String.join("\n", check.problems());
        Assumptions.assumeFalse(check.outcome() == MigrationSuiteRun.Outcome.SKIPPED, problems);
        if (!check.ok()) {
            Assertions.fail(check.name() + ":\n" + problems);
        }
    }
}
