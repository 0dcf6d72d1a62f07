package dev.strata.serve;

import dev.strata.engine.MigrationState;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code schema-history}: DOWN when an applied file changed (checksum drift), a migration failed
 * part-way, or the database records migrations this build does not know. Answers DOWN after
 * {@link Checks#TIMEOUT}.
 */
@Readiness
@ApplicationScoped
public class SchemaHistoryHealthCheck implements AsyncHealthCheck {

    @Inject
    HealthTarget target;

    @Override
    public Uni<HealthCheckResponse> call() {
        return target.snapshot().chain(snapshot -> target.status().map(report -> {
            int changed = report.count(MigrationState.CHANGED);
            int failed = report.count(MigrationState.FAILED);
            int unknown = report.count(MigrationState.UNKNOWN);
            return HealthCheckResponse.named("schema-history").status(changed + failed + unknown == 0)
                    .withData("location", snapshot.catalog().location())
                    .withData("changed", MigrationsHealthCheck.numbers(report, MigrationState.CHANGED))
                    .withData("failed", MigrationsHealthCheck.numbers(report, MigrationState.FAILED))
                    .withData("unknown", MigrationsHealthCheck.numbers(report, MigrationState.UNKNOWN))
                    .build();
        }).ifNoItem().after(Checks.TIMEOUT).failWith(Checks::timedOut)
                .onFailure().recoverWithItem(error -> HealthCheckResponse.named("schema-history").down()
                        .withData("error", "cannot read the schema history: " + Checks.explain(snapshot, error))
                        .build()));
    }
}
