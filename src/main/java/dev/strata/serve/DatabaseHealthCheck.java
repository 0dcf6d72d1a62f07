package dev.strata.serve;

import dev.strata.history.SqlResources;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code database}: the server answers; data: redacted URL, server version, round trip in ms.
 * Answers DOWN after {@link Checks#TIMEOUT} whatever the server does.
 */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements AsyncHealthCheck {

    @Inject
    HealthTarget target;

    @Override
    public Uni<HealthCheckResponse> call() {
        return target.snapshot().chain(snapshot -> {
            long started = System.nanoTime();
            String url = snapshot.settings().redacted();
            return snapshot.checks().connect()
                    .flatMap(connection -> connection.query(SqlResources.get("server_version.sql")).execute()
                            .eventually(connection::close))
                    .map(rows -> HealthCheckResponse.named("database").up()
                            .withData("url", url)
                            .withData("serverVersion", rows.iterator().next().getString(0))
                            .withData("roundTripMs", (System.nanoTime() - started) / 1_000_000)
                            .build())
                    .ifNoItem().after(Checks.TIMEOUT).failWith(Checks::timedOut)
                    .onFailure().recoverWithItem(error -> HealthCheckResponse.named("database").down()
                            .withData("url", url)
                            .withData("error", Checks.explain(snapshot, error))
                            .build());
        });
    }
}
