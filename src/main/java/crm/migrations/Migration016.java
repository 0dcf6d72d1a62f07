package crm.migrations;

import dev.strata.api.Expect;
import dev.strata.api.Migration;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;

import java.util.Set;

/** Adds {@code summary} (and when it was generated) to {@code parent_documents}. */
@Singleton
public class Migration016 extends Migration {

    /** Declares the migration's number, SQL file and description. */
    public Migration016() {
        super(16, "016_add_summary_to_parent_docs.sql", "Add summary to parent_documents");
    }

    @Override
    public Set<Integer> dependencies() {
        return Set.of(13);
    }

    @Override
    public Uni<Void> verify(SqlConnection connection) {
        return Expect.that()
                .column("parent_documents", "summary", "text")
                .column("parent_documents", "summary_generated_at", "timestamp with time zone")
                .constraint("parent_documents", "parent_documents_summary_not_blank")
                .check(connection);
    }
}
