package crm.migrations;

import dev.strata.api.Expect;
import dev.strata.api.Migration;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;

import java.util.Set;

/** Aligns {@code team_members} with the application: auth user link, profile columns, permissions. */
@Singleton
public class Migration010 extends Migration {

    /** Declares the migration's number, SQL file and description. */
    public Migration010() {
        super(10, "010_fix_team_members_schema.sql", "Align team_members with the application");
    }

    @Override
    public Set<Integer> dependencies() {
        return Set.of(7);
    }

    @Override
    public Uni<Void> verify(SqlConnection connection) {
        return Expect.that()
                .column("team_members", "user_id", "uuid")
                .column("team_members", "permissions", "jsonb")
                .notNull("team_members", "permissions")
                .column("team_members", "last_login_at", "timestamp with time zone")
                .columns("team_members", "phone", "job_title", "avatar_url")
                .constraint("team_members", "team_members_permissions_is_object")
                .constraint("team_members", "team_members_tenant_user_id_key")
                .check(connection);
    }
}
