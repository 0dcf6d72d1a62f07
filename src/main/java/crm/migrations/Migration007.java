package crm.migrations;

import dev.strata.api.Expect;
import dev.strata.api.Migration;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;

/** Creates the CRM core: team members, clients, contacts, practices and interactions. */
@Singleton
public class Migration007 extends Migration {

    /** Declares the migration's number, SQL file and description. */
    public Migration007() {
        super(7, "007_crm_system_schema.sql",
                "Create the CRM core tables (team_members, clients, contacts, practices, interactions)");
    }

    @Override
    public Uni<Void> verify(SqlConnection connection) {
        Expect expect = Expect.that()
                .function("set_updated_at()")
                .tables("team_members", "clients", "contacts", "practices", "interactions");
        for (String table : new String[] {"team_members", "clients", "contacts", "practices", "interactions"}) {
            expect.column(table, "tenant_id", "uuid")
                    .notNull(table, "tenant_id")
                    .column(table, "created_at", "timestamp with time zone")
                    .column(table, "updated_at", "timestamp with time zone")
                    .columns(table, "created_by", "updated_by")
                    .constraint(table, table + "_pkey")
                    .trigger(table, table + "_set_updated_at");
        }
        return expect
                .constraint("team_members", "team_members_role_check")
                .index("team_members_tenant_email_uidx")
                .constraint("clients", "clients_tenant_id_id_key")
                .constraint("clients", "clients_status_check")
                .column("clients", "search_vector", "tsvector")
                .index("clients_search_vector_idx")
                .constraint("contacts", "contacts_client_fk")
                .index("contacts_one_primary_per_client_uidx")
                .index("contacts_search_vector_idx")
                .constraint("practices", "practices_client_fk")
                .constraint("practices", "practices_tenant_reference_key")
                .column("practices", "estimated_value", "numeric(14,2)")
                .index("practices_search_vector_idx")
                .constraint("interactions", "interactions_client_fk")
                .constraint("interactions", "interactions_type_check")
                .column("interactions", "occurred_at", "timestamp with time zone")
                .index("interactions_tenant_client_occurred_idx")
                .index("interactions_search_vector_idx")
                .check(connection);
    }
}
