package dev.strata.testing;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MigrationSuite} itself: on an SQL-only folder its dynamic tests are named after the
 * migrations in plan order, and the tests of a vacuous and of a broken verify step fail.
 */
@Tag("db")
class MigrationSuiteSelfTest {

    @TempDir
    Path dir;

    private void migration(String name, String header, String sql, String verify) {
        write(dir, name + ".sql", "-- Description: " + name + "\n" + header + sql);
        write(dir, name + ".verify.sql", verify);
    }

    /** Runs every dynamic test of a suite over {@code dir}; one line each: name, then ok or the failure. */
    private List<String> run() {
        MigrationSuite suite = new MigrationSuite() {
            @Override
            protected Path location() {
                return dir;
            }
        };
        List<String> results = new ArrayList<>();
        try (Stream<DynamicTest> tests = suite.migrationSuite()) {
            tests.forEach(test -> {
                try {
                    test.getExecutable().execute();
                    results.add(test.getDisplayName() + ": ok");
                } catch (Throwable failure) {
                    results.add(test.getDisplayName() + ": " + failure.getMessage().replace('\n', ' '));
                }
            });
        }
        return results;
    }

    @Test
    void vacuousAndBrokenVerifyStepsFailTheirTestsNamedAfterThem() {
        migration("001_orders", "-- Dependencies: 3\n", "CREATE TABLE orders (id int, customer_id int REFERENCES customers);\n",
                "SELECT to_regclass('orders') IS NOT NULL;\n");
        migration("002_vacuous", "", "CREATE TABLE b (id int);\n", "SELECT 1;\n");
        migration("003_customers", "", "CREATE TABLE customers (id int PRIMARY KEY);\n",
                "SELECT to_regclass('customers') IS NOT NULL;\n");
        migration("004_broken", "", "CREATE TABLE d (id int);\n", "SELECT to_regclass('dd') IS NOT NULL;\n");

        List<String> results = run();

        assertThat(results).hasSize(6);
        assertThat(results.get(0)).isEqualTo("002_vacuous: 002_vacuous: verify of 002_vacuous passes before 002_vacuous ran: "
                + "it checks nothing");
        assertThat(results.get(1)).isEqualTo("003_customers: ok");
        assertThat(results.get(2)).isEqualTo("001_orders: ok");
        assertThat(results.get(3)).startsWith("004_broken: 004_broken: verify of 004_broken fails after 004_broken ran");
        assertThat(results.subList(4, 6)).containsExactly("re-run applies nothing: ok", "validate is clean: ok");
    }
}
