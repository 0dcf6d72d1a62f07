package crm.migrations;

import dev.strata.api.Expect;
import dev.strata.api.Migration;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;

/** Creates the agentic RAG tables: parent documents, their chunks, agent sessions and steps. */
@Singleton
public class Migration013 extends Migration {

    /** Declares the migration's number, SQL file and description. */
    public Migration013() {
        super(13, "013_agentic_rag_tables.sql",
                "Create parent_documents, document_chunks, agent_sessions and agent_steps");
    }

    @Override
    public Uni<Void> verify(SqlConnection connection) {
        return Expect.that()
                .tables("parent_documents", "document_chunks", "agent_sessions", "agent_steps")
                .function("set_updated_at()")
                .column("parent_documents", "tenant_id", "uuid")
                .column("parent_documents", "chunk_count", "integer")
                .constraint("parent_documents", "parent_documents_source_type_check")
                .constraint("parent_documents", "parent_documents_tenant_id_id_key")
                .column("document_chunks", "embedding", "real[]")
                .column("document_chunks", "search_vector", "tsvector")
                .constraint("document_chunks", "document_chunks_parent_document_fk")
                .constraint("document_chunks", "document_chunks_parent_chunk_index_key")
                .index("document_chunks_search_vector_idx")
                .constraint("agent_sessions", "agent_sessions_status_check")
                .constraint("agent_steps", "agent_steps_session_fk")
                .column("agent_steps", "input", "jsonb")
                .trigger("parent_documents", "parent_documents_set_updated_at")
                .trigger("document_chunks", "document_chunks_set_updated_at")
                .check(connection);
    }
}
