package dev.strata.serve;

import dev.strata.catalog.CatalogMigration;
import dev.strata.engine.MigrationState;
import dev.strata.engine.StatusReport;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code migrations}: DOWN while any migration is pending or failed, so a Fly.io machine only
 * receives traffic once the release command has migrated its database. Data: applied and pending
 * counts, pending numbers, failed numbers. Answers DOWN after {@link Checks#TIMEOUT}.
 */
@Readiness
@ApplicationScoped
public class MigrationsHealthCheck implements AsyncHealthCheck {

    @Inject
    HealthTarget target;

    @Override
    public Uni<HealthCheckResponse> call() {
        return target.snapshot().chain(snapshot -> target.status().map(report -> {
            int pending = report.count(MigrationState.PENDING);
            int failed = report.count(MigrationState.FAILED);
            return HealthCheckResponse.named("migrations").status(pending == 0 && failed == 0)
                    .withData("applied", report.appliedCount())
                    .withData("pending", pending)
                    .withData("pendingNumbers", numbers(report, MigrationState.PENDING))
                    .withData("failedNumbers", numbers(report, MigrationState.FAILED))
                    .build();
        }).ifNoItem().after(Checks.TIMEOUT).failWith(Checks::timedOut)
                .onFailure().recoverWithItem(error -> HealthCheckResponse.named("migrations").down()
                        .withData("error", "cannot read the schema history: " + Checks.explain(snapshot, error))
                        .build()));
    }

    static String numbers(StatusReport report, MigrationState state) {
        return String.join(",", report.in(state).stream().map(e -> CatalogMigration.format(e.number())).toList());
    }
}
