package dev.strata.testing;

import dev.strata.api.Migration;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogLoader;
import dev.strata.catalog.CatalogMigration;
import dev.strata.catalog.SourceFile;
import dev.strata.catalog.Verifier;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Small builders shared by the catalog, plan and status tests. */
public final class Fixtures {

    public static final String CLASSPATH = "classpath:" + CatalogLoader.CLASSPATH_LOCATION;

    private Fixtures() {
    }

    /** A migration class as an application would write it, minus the database check. */
    public static class TestMigration extends Migration {
        private final Set<Integer> dependencies;

        public TestMigration(int number, String sqlFile, Integer... dependencies) {
            super(number, sqlFile, "class description of " + sqlFile);
            this.dependencies = Set.copyOf(Arrays.asList(dependencies));
        }

        @Override
        public Set<Integer> dependencies() {
            return dependencies;
        }

        @Override
        public Uni<Void> verify(SqlConnection connection) {
            return Uni.createFrom().voidItem();
        }
    }

    public static Migration cls(int number, String sqlFile, Integer... dependencies) {
        return new TestMigration(number, sqlFile, dependencies);
    }

    /** A bundled SQL file as the classpath loader would present it. */
    public static SourceFile file(String name, String sql) {
        return new SourceFile(name, CatalogLoader.CLASSPATH_LOCATION + "/" + name, sql.getBytes(UTF_8), null);
    }

    public static SourceFile file(String name) {
        return file(name, "SELECT 1;\n");
    }

    public static String shown(String name) {
        return CatalogLoader.CLASSPATH_LOCATION + "/" + name;
    }

    /** Builds in classpath mode: every file needs a class. */
    public static Catalog bundled(List<SourceFile> files, List<Migration> classes) {
        return CatalogLoader.build(CLASSPATH, files, classes, true);
    }

    /** A catalog migration for planner tests: {@code NNN_mNNN.sql} with the given dependencies. */
    public static CatalogMigration migration(long number, Long... dependencies) {
        String name = String.format("%03d_m%03d", number, number);
        return new CatalogMigration(number, name, name + ".sql", "SELECT 1;", "SELECT 1;",
                "0".repeat(64), 9, "m" + number, List.of(dependencies), true, Map.of(), Verifier.NONE, "test");
    }

    public static List<Long> numbers(List<CatalogMigration> migrations) {
        return migrations.stream().map(CatalogMigration::number).collect(Collectors.toList());
    }

    public static List<Long> numbers(Catalog catalog) {
        return numbers(catalog.migrations());
    }
}
