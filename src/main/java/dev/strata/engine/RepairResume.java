package dev.strata.engine;

import dev.strata.catalog.CatalogMigration;
import dev.strata.history.SchemaHistory;
import dev.strata.sql.SqlScript;
import dev.strata.sql.SqlStatement;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.List;

/**
 * {@code repair N} for a non-transactional migration with recorded progress: runs the statements
 * after the last completed one, one by one outside a transaction as {@code apply-all} does,
 * recording progress after each, and stops at the first that fails.
 */
final class RepairResume {

    private final SqlConnection connection;
    private final String table;
    private final CatalogMigration migration;
    private final List<SqlStatement> statements;
    private final SqlScript script;

    RepairResume(SqlConnection connection, String table, CatalogMigration migration) {
        this.connection = connection;
        this.table = table;
        this.migration = migration;
        this.script = SqlScript.parse(migration.file(), migration.executableSql());
        this.statements = script.executableStatements();
    }

    /** Statements in the file. */
    int total() {
        return statements.size();
    }

    /**
     * Runs statements {@code done + 1 …} (1-based) to the end.
     *
     * @return null when all ran, else what failed and which statements did not run
     */
    Uni<String> from(int done) {
        if (done >= statements.size()) {
            return connection.query("RESET ALL").execute().replaceWith((String) null);
        }
        SqlStatement statement = statements.get(done);
        return connection.query(statement.text()).execute()
                .chain(() -> SchemaHistory.progress(connection, table, migration.name(), done + 1))
                .chain(() -> from(done + 1))
                .onFailure().recoverWithUni(error -> {
                    MigrationFailure f = FailureLocator.fromStatement(migration, script, statement, error, "statement");
                    String report = "statement " + (done + 1) + " of " + statements.size() + " failed again at "
                            + f.location() + ": " + (f.sqlState() == null ? "" : f.sqlState() + " ") + f.message()
                            + "; statements " + range(done + 1) + " did not run";
                    return connection.query("RESET ALL").execute().onFailure().recoverWithNull()
                            .chain(() -> SchemaHistory.recordError(connection, table, migration.number(), report))
                            .onFailure().recoverWithNull()
                            .replaceWith(report);
                });
    }

    /** "k to n" (1-based) or just "n" for the statements from {@code first} on. */
    String range(int first) {
        return first == statements.size() ? String.valueOf(first) : first + " to " + statements.size();
    }
}
