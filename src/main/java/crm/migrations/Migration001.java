package crm.migrations;

import dev.strata.api.Expect;
import dev.strata.api.Migration;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;

/** Creates {@code cultural_knowledge} and {@code query_clusters}, which the application expected. */
@Singleton
public class Migration001 extends Migration {

    /** Declares the migration's number, SQL file and description. */
    public Migration001() {
        super(1, "001_fix_missing_tables.sql", "Create cultural_knowledge and query_clusters");
    }

    @Override
    public Uni<Void> verify(SqlConnection connection) {
        return Expect.that()
                .tables("cultural_knowledge", "query_clusters")
                .function("set_updated_at()")
                .column("cultural_knowledge", "tenant_id", "uuid")
                .column("cultural_knowledge", "embedding", "real[]")
                .column("cultural_knowledge", "search_vector", "tsvector")
                .notNull("cultural_knowledge", "content")
                .constraint("cultural_knowledge", "cultural_knowledge_tenant_title_key")
                .constraint("cultural_knowledge", "cultural_knowledge_confidence_check")
                .index("cultural_knowledge_search_vector_idx")
                .index("cultural_knowledge_tenant_category_idx")
                .trigger("cultural_knowledge", "cultural_knowledge_set_updated_at")
                .column("query_clusters", "tenant_id", "uuid")
                .column("query_clusters", "centroid", "real[]")
                .column("query_clusters", "query_count", "integer")
                .constraint("query_clusters", "query_clusters_tenant_label_key")
                .constraint("query_clusters", "query_clusters_status_check")
                .index("query_clusters_tenant_status_idx")
                .trigger("query_clusters", "query_clusters_set_updated_at")
                .check(connection);
    }
}
