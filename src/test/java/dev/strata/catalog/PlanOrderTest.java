package dev.strata.catalog;

import org.junit.jupiter.api.Tag;
import static dev.strata.testing.Fixtures.bundled;
import static dev.strata.testing.Fixtures.cls;
import static dev.strata.testing.Fixtures.file;
import static dev.strata.testing.Fixtures.migration;
import static dev.strata.testing.Fixtures.numbers;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PlanOrderTest {

    /** The application's real graph: 10 and 12 depend on 7, 14 to 16 on 13. */
    private static Catalog applicationLike() {
        return bundled(
                List.of(file("001_fix_missing_tables.sql"), file("007_crm_system_schema.sql"),
                        file("010_fix_team_members_schema.sql"), file("012_fix_production_schema.sql"),
                        file("013_agentic_rag_tables.sql"), file("014_knowledge_graph_tables.sql"),
                        file("015_add_drive_columns.sql"), file("016_add_summary_to_parent_docs.sql")),
                List.of(cls(16, "016_add_summary_to_parent_docs.sql", 13), cls(15, "015_add_drive_columns.sql", 13),
                        cls(14, "014_knowledge_graph_tables.sql", 13), cls(13, "013_agentic_rag_tables.sql"),
                        cls(12, "012_fix_production_schema.sql", 7), cls(10, "010_fix_team_members_schema.sql", 7),
                        cls(7, "007_crm_system_schema.sql"), cls(1, "001_fix_missing_tables.sql")));
    }

    @Test
    void independentMigrationsRunInNumberOrder() {
        Planner.Result result = Planner.order(List.of(migration(15), migration(1), migration(13), migration(7)));

        assertThat(result.cycle()).isEmpty();
        assertThat(numbers(result.ordered())).containsExactly(1L, 7L, 13L, 15L);
    }

    @Test
    void dependencyComesFirstAndTiesAreBrokenByNumber() {
        Planner.Result result = Planner.order(List.of(
                migration(15, 13L), migration(13), migration(10, 7L), migration(7), migration(12)));

        assertThat(numbers(result.ordered())).containsExactly(7L, 10L, 12L, 13L, 15L);
    }

    @Test
    void dependencyOnAHigherNumberPutsTheHigherNumberFirst() {
        Planner.Result result = Planner.order(List.of(migration(5, 9L), migration(7), migration(9), migration(11)));

        assertThat(numbers(result.ordered())).containsExactly(7L, 9L, 5L, 11L);
    }

    @Test
    void lowNumberReadyLateStillWaitsForItsDependency() {
        // 2 becomes ready only after 20, and then runs before 21 because it is the lowest ready number
        Planner.Result result = Planner.order(List.of(migration(2, 20L), migration(20), migration(21), migration(1)));

        assertThat(numbers(result.ordered())).containsExactly(1L, 20L, 2L, 21L);
    }

    @Test
    void diamondRunsEachMigrationOnceAfterAllItsDependencies() {
        Planner.Result result = Planner.order(List.of(
                migration(4, 2L, 3L), migration(3, 1L), migration(2, 1L), migration(1)));

        assertThat(numbers(result.ordered())).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void orderDoesNotDependOnInputOrder() {
        List<CatalogMigration> input = new ArrayList<>(List.of(migration(15, 13L), migration(13), migration(10, 7L),
                migration(7), migration(5, 9L), migration(9), migration(1)));
        for (int i = 0; i < 5; i++) {
            Collections.shuffle(input, new java.util.Random(i));
            assertThat(numbers(Planner.order(input).ordered())).containsExactly(1L, 7L, 9L, 5L, 10L, 13L, 15L);
        }
    }

    @Test
    void cycleIsReturnedWithItsFirstNumberRepeatedAndNoOrder() {
        Planner.Result result = Planner.order(List.of(migration(1, 2L), migration(2, 3L), migration(3, 1L), migration(4)));

        assertThat(result.ordered()).isEmpty();
        assertThat(result.cycle()).containsExactly(1L, 2L, 3L, 1L);
    }

    @Test
    void cycleFoundFromADependentLeavesTheDependentOut() {
        Planner.Result result = Planner.order(List.of(migration(1, 5L), migration(5, 6L), migration(6, 5L)));

        assertThat(result.cycle()).containsExactly(5L, 6L, 5L);
    }

    @Test
    void catalogIsInPlanOrder() {
        assertThat(numbers(applicationLike())).containsExactly(1L, 7L, 10L, 12L, 13L, 14L, 15L, 16L);
    }

    @Test
    void catalogPlanPutsAHigherNumberedDependencyFirst() {
        Catalog catalog = bundled(List.of(file("005_a.sql"), file("007_b.sql"), file("009_c.sql")),
                List.of(cls(5, "005_a.sql", 9), cls(7, "007_b.sql"), cls(9, "009_c.sql")));

        assertThat(numbers(catalog)).containsExactly(7L, 9L, 5L);
    }

    @Test
    void firstNumberDependingOnTheLastRunsLast() {
        // dependency order 2, 3, 1 against number order 1, 2, 3: a planner that sorted by number fails here
        Catalog catalog = bundled(List.of(file("001_orders.sql"), file("002_audit.sql"), file("003_customers.sql")),
                List.of(cls(1, "001_orders.sql", 3), cls(2, "002_audit.sql"), cls(3, "003_customers.sql")));

        assertThat(numbers(catalog)).containsExactly(2L, 3L, 1L);
        assertThat(numbers(catalog.withDependencies(1))).containsExactly(3L, 1L);
    }

    @Test
    void dependentsAreTheDirectOnesAscending() {
        Catalog catalog = applicationLike();

        assertThat(catalog.dependents(13)).containsExactly(14L, 15L, 16L);
        assertThat(catalog.dependents(7)).containsExactly(10L, 12L);
        assertThat(catalog.dependents(16)).isEmpty();
        assertThat(catalog.dependents(99)).isEmpty();
    }

    @Test
    void dependentsAreOnlyDirect() {
        Catalog catalog = bundled(List.of(file("001_a.sql"), file("002_b.sql"), file("003_c.sql")),
                List.of(cls(1, "001_a.sql"), cls(2, "002_b.sql", 1), cls(3, "003_c.sql", 2)));

        assertThat(catalog.dependents(1)).containsExactly(2L);
    }

    @Test
    void withDependenciesIsTransitiveAndInPlanOrder() {
        Catalog catalog = bundled(
                List.of(file("001_a.sql"), file("002_b.sql"), file("003_c.sql"), file("004_d.sql"), file("009_e.sql")),
                List.of(cls(1, "001_a.sql"), cls(2, "002_b.sql"), cls(3, "003_c.sql", 9), cls(4, "004_d.sql", 3, 1),
                        cls(9, "009_e.sql", 1)));

        assertThat(numbers(catalog)).containsExactly(1L, 2L, 9L, 3L, 4L);
        assertThat(numbers(catalog.withDependencies(4))).containsExactly(1L, 9L, 3L, 4L);
        assertThat(numbers(catalog.withDependencies(3))).containsExactly(1L, 9L, 3L);
        assertThat(numbers(catalog.withDependencies(2))).containsExactly(2L);
    }

    @Test
    void withDependenciesOfAnUnknownNumberIsEmpty() {
        assertThat(applicationLike().withDependencies(99)).isEmpty();
    }

    @Test
    void findByNumber() {
        Catalog catalog = applicationLike();

        assertThat(catalog.find(12)).get().extracting(CatalogMigration::name).isEqualTo("012_fix_production_schema");
        assertThat(catalog.find(11)).isEmpty();
        assertThat(catalog.size()).isEqualTo(8);
        assertThat(catalog.find(12).orElseThrow().displayNumber()).isEqualTo("012");
    }
}
