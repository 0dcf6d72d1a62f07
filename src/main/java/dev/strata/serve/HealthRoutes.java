package dev.strata.serve;

import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.ByteArrayOutputStream;
import java.util.function.Function;

/**
 * The MicroProfile Health endpoints of {@code strata serve}, for any HTTP method:
 * {@code /q/health} (every check), {@code /q/health/live} (liveness; Strata has no liveness check,
 * so always UP with no checks), {@code /q/health/ready} (readiness: {@code database},
 * {@code schema-history}, {@code migrations}), {@code /q/health/started} (startup),
 * {@code /q/health/well} (wellness), {@code /q/health/group} and {@code /q/health/group/{name}}
 * (health groups; none are defined). The body is SmallRye Health's report,
 * {@code {"status":"UP"|"DOWN","checks":[{"name":…,"status":…,"data":{…}}]}}, indented; status 200
 * when UP, 503 when DOWN; {@code Content-Type: application/json; charset=UTF-8},
 * {@code Cache-Control: no-store}. The checks run asynchronously: nothing blocks the event loop.
 */
@ApplicationScoped
public class HealthRoutes {

    /** The root of the health endpoints, as Quarkus's SmallRye Health extension serves them. */
    static final String ROOT = "/q/health";

    @Inject
    SmallRyeHealthReporter reporter;

    /** Adds the health routes to {@code router}. */
    void register(Router router) {
        route(router, ROOT, r -> r.getHealthAsync());
        route(router, ROOT + "/live", r -> r.getLivenessAsync());
        route(router, ROOT + "/ready", r -> r.getReadinessAsync());
        route(router, ROOT + "/started", r -> r.getStartupAsync());
        route(router, ROOT + "/well", r -> r.getWellnessAsync());
        route(router, ROOT + "/group", r -> r.getHealthGroupsAsync());
        router.route(ROOT + "/group/*").handler(ctx -> respond(ctx, reporter.getHealthGroupAsync(groupName(ctx))));
    }

    private void route(Router router, String path, Function<SmallRyeHealthReporter, Uni<SmallRyeHealth>> health) {
        router.route(path).handler(ctx -> respond(ctx, health.apply(reporter)));
    }

    /** The last segment of {@code /q/health/group/{name}}. */
    private static String groupName(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Answers with the report once every check has answered, on the request's own event loop. */
    private void respond(RoutingContext ctx, Uni<SmallRyeHealth> health) {
        Context context = Vertx.currentContext();
        health.subscribe().with(
                result -> context.runOnContext(v -> {
                    ByteArrayOutputStream json = new ByteArrayOutputStream(1024);
                    reporter.reportHealth(json, result);
                    ctx.response().setStatusCode(result.isDown() ? 503 : 200)
                            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=UTF-8")
                            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                            .end(Buffer.buffer(json.toByteArray()));
                }),
                error -> context.runOnContext(v -> ctx.fail(error)));
    }
}
