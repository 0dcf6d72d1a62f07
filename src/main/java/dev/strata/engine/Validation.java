package dev.strata.engine;

import dev.strata.catalog.CatalogMigration;
import dev.strata.history.SchemaHistory;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code strata validate}: applied migrations against their files (checksums), failed and unknown
 * history rows, and every applied migration's verify step re-run in a read-only transaction.
 */
public final class Validation {

    private final Migrator migrator;

    /** @param migrator supplies the catalog, the database and the lock */
    public Validation(Migrator migrator) {
        this.migrator = migrator;
    }

    /**
     * The outcome of {@code validate}.
     *
     * @param problems one line each: changed checksums, failed rows, unknown migrations, failing verify steps
     * @param verified how many applied migrations had their verify step re-run
     * @param pending  how many migrations are pending (not a problem)
     */
    public record ValidationReport(List<String> problems, int verified, int pending) {
        /** True when nothing is off. */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Compares every applied migration's checksum with its file, reports failed rows and
     * migrations the catalog does not know, and re-runs every applied migration's verify step in a
     * read-only transaction (rolled back). Changes nothing.
     */
    public Uni<ValidationReport> validate() {
        return migrator.database().connect().onItem().transformToUni(connection ->
                migrator.table(connection).chain(table -> SchemaHistory.read(connection, table)).onItem().transformToUni(history -> {
                    StatusReport report = StatusReport.of(migrator.catalog(), history,
                            migrator.database().settings().redacted());
                    List<String> problems = new ArrayList<>();
                    for (StatusReport.Entry e : report.entries()) {
                        switch (e.state()) {
                            case CHANGED -> problems.add(e.migration().orElseThrow().file()
                                    + ": changed after it was applied (recorded checksum "
                                    + e.applied().orElseThrow().checksum() + ", file now "
                                    + e.migration().orElseThrow().checksum() + ")");
                            case FAILED -> problems.add(e.migration().orElseThrow().file() + ": failed part-way ("
                                    + e.applied().orElseThrow().error() + "); see strata repair " + e.number());
                            case UNKNOWN -> problems.add("migration " + e.name()
                                    + " is recorded in the database but not in " + migrator.catalog().location());
                            default -> { }
                        }
                    }
                    List<CatalogMigration> applied = report.entries().stream()
                            .filter(e -> e.state() == MigrationState.APPLIED || e.state() == MigrationState.BASELINE)
                            .map(e -> e.migration().orElseThrow()).toList();
                    return Multi.createFrom().iterable(applied)
                            .onItem().transformToUniAndConcatenate(m -> verifyReadOnly(connection, m)
                                    .onItem().invoke(problem -> problem.ifPresent(problems::add)))
                            .collect().asList()
                            .onItem().transform(done -> new ValidationReport(List.copyOf(problems), applied.size(),
                                    report.count(MigrationState.PENDING)));
                }).onTermination().call(connection::close));
    }

    /** Runs a verify step in {@code BEGIN READ ONLY … ROLLBACK}; a problem line when it fails. */
    static Uni<Optional<String>> verifyReadOnly(SqlConnection connection, CatalogMigration m) {
        return connection.query("BEGIN READ ONLY").execute()
                .chain(() -> m.verifier().verify(connection))
                .onItem().transform(ok -> Optional.<String>empty())
                .onFailure().recoverWithItem(error -> Optional.of(m.file() + ": verify failed ("
                        + m.verifier().source() + "): " + FailureLocator.fromVerify(m, error).message()))
                .call(() -> connection.query("ROLLBACK").execute().onFailure().recoverWithNull());
    }
}
