package dev.strata.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** A verify step: a migration class's {@code verify()}, a {@code .verify.sql} file, or none. */
public interface Verifier {

    /** Runs the check on the migration's connection; the Uni fails when the effect is missing. */
    Uni<Void> verify(SqlConnection connection);

    /** Where the check comes from, e.g. {@code crm.migrations.Migration007#verify}. */
    String source();

    /** The verifier of a migration that has no verify step. */
    Verifier NONE = new Verifier() {
        @Override
        public Uni<Void> verify(SqlConnection connection) {
            return Uni.createFrom().voidItem();
        }

        @Override
        public String source() {
            return "none";
        }
    };
}
