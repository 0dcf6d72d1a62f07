package crm.migrations;

import dev.strata.api.Expect;
import dev.strata.api.Migration;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;

/** Creates the knowledge graph: entities and typed, directed relationships between them. */
@Singleton
public class Migration014 extends Migration {

    /** Declares the migration's number, SQL file and description. */
    public Migration014() {
        super(14, "014_knowledge_graph_tables.sql", "Create kg_entities and kg_relationships");
    }

    @Override
    public Uni<Void> verify(SqlConnection connection) {
        return Expect.that()
                .tables("kg_entities", "kg_relationships")
                .column("kg_entities", "tenant_id", "uuid")
                .column("kg_entities", "embedding", "real[]")
                .column("kg_entities", "properties", "jsonb")
                .column("kg_entities", "source_document_ids", "uuid[]")
                .constraint("kg_entities", "kg_entities_tenant_type_name_key")
                .index("kg_entities_properties_idx")
                .index("kg_entities_search_vector_idx")
                .constraint("kg_relationships", "kg_relationships_source_entity_fk")
                .constraint("kg_relationships", "kg_relationships_target_entity_fk")
                .constraint("kg_relationships", "kg_relationships_no_self_loop")
                .constraint("kg_relationships", "kg_relationships_tenant_edge_key")
                .column("kg_relationships", "weight", "real")
                .index("kg_relationships_tenant_target_idx")
                .trigger("kg_entities", "kg_entities_set_updated_at")
                .check(connection);
    }
}
