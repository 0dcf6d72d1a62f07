package dev.strata.api;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.Map;
import java.util.Set;

/**
 * One application migration: metadata for a numbered SQL file plus its {@link #verify} step.
 *
 * <p>Subclasses live in {@code crm.migrations}, are CDI beans ({@code @Singleton}) and are
 * discovered by the catalog; they hold metadata and {@code verify()} only, the engine does the
 * rest. Example:
 *
 * <pre>{@code
 * @Singleton
 * public class Migration012 extends Migration {
 *     public Migration012() {
 *         super(12, "012_fix_production_schema.sql", "Add conversation_id to interactions");
 *     }
 *     @Override public Set<Integer> dependencies() { return Set.of(7); }
 *     @Override public Uni<Void> verify(SqlConnection db) {
 *         return Expect.that()
 *                 .column("interactions", "conversation_id", "uuid")
 *                 .index("idx_interactions_conversation_id")
 *                 .check(db);
 *     }
 * }
 * }</pre>
 */
public abstract class Migration {

    private final int number;
    private final String sqlFile;
    private final String description;

    /**
     * @param number      the migration number, equal to the file name's numeric prefix
     * @param sqlFile     the file name under {@code db/migrations/}, e.g. {@code 007_crm_system_schema.sql}
     * @param description one line for humans; stored in the schema history
     */
    protected Migration(int number, String sqlFile, String description) {
        this.number = number;
        this.sqlFile = sqlFile;
        this.description = description;
    }

    /** The migration number. */
    public final int number() {
        return number;
    }

    /** The SQL file name, relative to {@code db/migrations/}. */
    public final String sqlFile() {
        return sqlFile;
    }

    /** A one-line description. */
    public final String description() {
        return description;
    }

    /** Numbers of the migrations that must be applied before this one; none by default. */
    public Set<Integer> dependencies() {
        return Set.of();
    }

    /**
     * False when the SQL must run outside a transaction block, one statement at a time, e.g. for
     * {@code CREATE INDEX CONCURRENTLY}, which PostgreSQL refuses inside a transaction block
     * (PostgreSQL docs, CREATE INDEX, "Building Indexes Concurrently").
     */
    public boolean transactional() {
        return true;
    }

    /**
     * Safety rules this migration is explicitly allowed to break, each with the reason, e.g.
     * {@code Map.of("truncate", "staging table is rebuilt from the source on every deploy")}.
     */
    public Map<String, String> allowances() {
        return Map.of();
    }

    /**
     * Checks, read-only and on the migration's own connection and transaction, that the migration
     * did what it says; the returned {@code Uni} fails (usually with {@link VerifyException}) when
     * it did not, and the migration is then rolled back.
     *
     * @param connection the connection the migration ran on, still inside its transaction
     */
    public abstract Uni<Void> verify(SqlConnection connection);
}
