package crm.migrations;

import dev.strata.api.Expect;
import dev.strata.api.Migration;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;

import java.util.Set;

/** Adds {@code conversation_id} to {@code interactions}, with an index for per-conversation lookups. */
@Singleton
public class Migration012 extends Migration {

    /** Declares the migration's number, SQL file and description. */
    public Migration012() {
        super(12, "012_fix_production_schema.sql", "Add conversation_id to interactions");
    }

    @Override
    public Set<Integer> dependencies() {
        return Set.of(7);
    }

    @Override
    public Uni<Void> verify(SqlConnection connection) {
        return Expect.that()
                .column("interactions", "conversation_id", "uuid")
                .index("interactions_tenant_conversation_idx")
                .check(connection);
    }
}
