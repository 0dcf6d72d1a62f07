package crm.migrations;

import dev.strata.api.Expect;
import dev.strata.api.Migration;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;

import java.util.Set;

/** Adds Google Drive sync columns to {@code parent_documents}, unique per tenant on the Drive file id. */
@Singleton
public class Migration015 extends Migration {

    /** Declares the migration's number, SQL file and description. */
    public Migration015() {
        super(15, "015_add_drive_columns.sql", "Add Google Drive columns to parent_documents");
    }

    @Override
    public Set<Integer> dependencies() {
        return Set.of(13);
    }

    @Override
    public Uni<Void> verify(SqlConnection connection) {
        return Expect.that()
                .column("parent_documents", "drive_file_id", "text")
                .column("parent_documents", "drive_folder_id", "text")
                .column("parent_documents", "drive_mime_type", "text")
                .column("parent_documents", "drive_web_view_link", "text")
                .column("parent_documents", "drive_modified_time", "timestamp with time zone")
                .column("parent_documents", "drive_synced_at", "timestamp with time zone")
                .constraint("parent_documents", "parent_documents_drive_source_check")
                .index("parent_documents_tenant_drive_file_id_uidx")
                .index("parent_documents_tenant_drive_folder_idx")
                .check(connection);
    }
}
