package dev.strata.catalog;

import dev.strata.api.VerifyException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The verify step of an SQL-only migration: an {@code NNN_description.verify.sql} file run on the
 * migration's connection (simple query protocol). It passes when it runs without error and, if
 * its last statement returns a row, that row's first column is neither false nor NULL; so both
 * Sqitch-style scripts that raise ({@code SELECT 1/count(*) …}) and boolean queries
 * ({@code SELECT EXISTS (…)}) work.
 */
final class SqlVerifier implements Verifier {

    private final String file;
    private final String sql;

    SqlVerifier(String file, String sql) {
        this.file = file;
        this.sql = sql.replace('\uFEFF', ' ');
    }

    @Override
    public Uni<Void> verify(SqlConnection connection) {
        return connection.query(sql).execute().onItem().transform(first -> {
            RowSet<Row> last = first;
            while (last.next() != null) {
                last = last.next();
            }
            if (last.size() > 0) {
                Object value = last.iterator().next().getValue(0);
                if (value == null || Boolean.FALSE.equals(value)) {
                    throw new VerifyException(file + " returned " + value + " in its first column");
                }
            }
            return null;
        });
    }

    @Override
    public String source() {
        return file;
    }
}
