package dev.strata.catalog;

import java.nio.file.Path;
import java.util.List;

/**
 * A {@link CatalogLayout} of another migration tool (Flyway, Prisma, dbmate, …): besides the role
 * of each file it says how the tool names a migration — its version, the name Strata records in
 * the schema history, and what else the tool reads about it (a sidecar that turns the transaction
 * off, dependencies, the verify script).
 */
interface ToolLayout extends CatalogLayout {

    /**
     * How a migration file is named in this layout.
     *
     * @param version     the tool's version, compared as numbers
     * @param name        the schema history key, e.g. {@code V1.2__add_users} or {@code 20210101000000_init}
     * @param description from the name, underscores as spaces
     * @param problem     why the file cannot be read as a migration, naming it and what to do; null when it can
     */
    record Named(MigrationVersion version, String name, String description, String problem) {

        static Named problem(String problem) {
            return new Named(null, null, null, problem);
        }
    }

    /** The name of a {@link Role#MIGRATION} file, or a {@link Named#problem()} for one the tool would not run. */
    Named name(String relative);

    /** The migration name a {@link Role#VERIFY} file belongs to. */
    default String verifies(String relative) {
        throw new IllegalStateException(name() + " has no verify files");
    }

    /**
     * What the tool's own configuration beside the file (not its SQL header, which
     * {@link SqlFileHeader} reads) says about running it in a transaction: {@code TRUE} or
     * {@code FALSE} when it sets it (Flyway's {@code V1__x.sql.conf executeInTransaction}, Diesel's
     * {@code metadata.toml run_in_transaction}), null when it says nothing.
     *
     * @param file the migration file
     * @param problems where to append an unreadable or malformed configuration, naming its file
     */
    default Boolean sidecarTransactional(Path file, List<String> problems) {
        return null;
    }

    /**
     * Whether the tool, when nothing configures it, decides from the statements themselves that a
     * file runs outside a transaction (Flyway: {@link FlywayTransactions}).
     */
    default boolean detectsNonTransactionalStatements() {
        return false;
    }

    /** Names of migrations the tool says must run first (Sqitch's plan), in no particular order. */
    default List<String> requires(String name) {
        return List.of();
    }

    /** Problems of the tool's own metadata files (e.g. a malformed {@code sqitch.plan}), each naming its file:line. */
    default List<String> metadataProblems() {
        return List.of();
    }

    /** The text {@link SqlFileHeader} reads for metadata: the file, minus comments the tool writes for people only. */
    default String headerText(String sql) {
        return sql;
    }

    /** Names of every migration the tool's own metadata lists (Sqitch's plan); empty when it has none. */
    default java.util.Set<String> declared() {
        return java.util.Set.of();
    }

    /** Whether a version orders migrations (false: the order of a plan file, Sqitch). */
    default String orderedBy() {
        return "version";
    }
}
