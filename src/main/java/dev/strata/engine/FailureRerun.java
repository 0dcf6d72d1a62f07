package dev.strata.engine;

import dev.strata.catalog.CatalogMigration;
import dev.strata.history.SqlResources;
import dev.strata.sql.SqlScript;
import dev.strata.sql.SqlStatement;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.List;

/**
 * The failure locator's database side: finds the failing statement of a transactional migration
 * when the server gave no position, by re-running the file's statements one by one inside an
 * explicit transaction that the file cannot end, checked after every statement and rolled back.
 */
final class FailureRerun {

    private FailureRerun() {
    }

    /**
     * Locates a failed migration's error in its file: from the server's position when it gave one,
     * else by re-running the statements one by one in a transaction that is always rolled back.
     *
     * @param phase the phase that failed: {@code sql}, {@code verify} or {@code history}
     * @param begin the SQL that opens the re-run's transaction (BEGIN and its SET LOCALs)
     * @return the failure, located where possible; never fails
     */
    static Uni<MigrationFailure> locate(SqlConnection work, CatalogMigration m, SqlScript script, String sent,
                                        int prefixLength, String phase, Throwable error, String begin) {
        if ("verify".equals(phase)) {
            return Uni.createFrom().item(FailureLocator.fromVerify(m, error));
        }
        MigrationFailure failure = FailureLocator.fromSql(m, script, sent, prefixLength, error);
        if (!"sql".equals(phase) || !FailureLocator.worthRerun(error, failure, script)) {
            return Uni.createFrom().item(failure);
        }
        String refused = FailureLocator.transactionControl(script);
        if (refused != null) {
            return Uni.createFrom().item(FailureLocator.notLocated(failure, refused));
        }
        // No position from the server (e.g. a constraint violation): re-run the statements one
        // by one in a transaction that is always rolled back, to find the one that fails. Each
        // goes alone through the extended protocol, which refuses a text the server reads as
        // several commands, so a COMMIT hidden from the scanner cannot run; the transaction id is
        // compared after every statement, so an end of the transaction by other means is seen.
        return work.query(begin).execute()
                .chain(() -> work.query(SqlResources.get("locator_begin.sql")).execute())
                .onItem().transform(rows -> rows.iterator().next().getLong(0))
                .chain(xid -> rerun(work, m, script, script.executableStatements(), 0, xid))
                .onFailure(FailureLocator.InDoubt.class)
                .recoverWithItem(e -> FailureLocator.notLocated(failure, e.getMessage()))
                .onFailure().recoverWithItem(e -> FailureLocator.notLocated(failure,
                        "the re-run itself failed (" + e.getMessage() + ")"))
                .call(() -> rollback(work))
                .onItem().transform(found -> found != null ? found : FailureLocator.notLocated(failure,
                        "every statement ran without the error when re-run one by one"));
    }

    private static Uni<MigrationFailure> rerun(SqlConnection work, CatalogMigration m, SqlScript script,
                                        List<SqlStatement> statements, int index, long xid) {
        if (index >= statements.size()) {
            return Uni.createFrom().nullItem();
        }
        SqlStatement statement = statements.get(index);
        return work.preparedQuery(statement.text()).execute()
                .onItem().transformToUni(ok -> work.query(SqlResources.get("locator_txid.sql")).execute()
                        .onFailure().transform(e -> new FailureLocator.InDoubt("the transaction could not be checked "
                                + "after the statement at " + statement.position() + " (" + e.getMessage() + ")")))
                .onItem().transformToUni(rows -> {
                    Long now = rows.iterator().next().getLong(0);
                    if (now == null || now != xid) {
                        return Uni.createFrom().failure(new FailureLocator.InDoubt("the re-run's transaction ended at "
                                + m.file() + ":" + statement.position().line() + ":" + statement.position().column()
                                + "; statements up to there may have committed: check the database"));
                    }
                    return rerun(work, m, script, statements, index + 1, xid);
                })
                .onFailure(e -> !(e instanceof FailureLocator.InDoubt)).recoverWithUni(error -> {
                    String doubt = FailureLocator.doubt(error, m, statement);
                    return doubt != null ? Uni.createFrom().failure(new FailureLocator.InDoubt(doubt))
                            : Uni.createFrom().item(FailureLocator.fromStatement(m, script, statement, error,
                                    "statement re-run"));
                });
    }

    private static Uni<Void> rollback(SqlConnection work) {
        return work.query("ROLLBACK").execute().replaceWithVoid().onFailure().recoverWithNull();
    }
}
