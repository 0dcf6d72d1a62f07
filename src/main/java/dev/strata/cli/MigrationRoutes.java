package dev.strata.cli;

import dev.strata.health.HealthTarget;
import dev.strata.migration.ApplyOptions;
import dev.strata.migration.ProgressListener;
import dev.strata.migration.StatusReport;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP endpoints of {@code strata serve}: {@code GET /migrations} (status and every migration),
 * {@code GET /migrations/{number}}, and {@code POST /migrations/apply}, which needs
 * {@code Authorization: Bearer <STRATA_ADMIN_TOKEN>} (401 without it, 403 with a wrong one or when no
 * token is configured). Responses are JSON with the shapes of the {@code --json} output.
 */
@ApplicationScoped
public class MigrationRoutes {

    @Inject
    HealthTarget target;

    @ConfigProperty(name = "strata.admin-token")
    Optional<String> adminToken;

    void register(@Observes Router router) {
        router.get("/migrations").handler(this::list);
        router.get("/migrations/:number").handler(this::one);
        router.post("/migrations/apply").handler(this::apply);
    }

    private void list(RoutingContext ctx) {
        target.status().subscribe().with(report -> {
            Map<String, Object> json = JsonShapes.status(report, target.catalog());
            json.put("entries", report.entries().stream().map(JsonShapes::entry).toList());
            send(ctx, 200, json);
        }, error -> send(ctx, 503, Map.of("error", ErrorHandler.errorJson(error, ExitCodes.USAGE))));
    }

    private void one(RoutingContext ctx) {
        long number;
        try {
            number = Long.parseLong(ctx.pathParam("number"));
        } catch (NumberFormatException e) {
            send(ctx, 400, Map.of("error", Map.of("message", "not a migration number: " + ctx.pathParam("number"))));
            return;
        }
        target.status().subscribe().with(report -> {
            Optional<StatusReport.Entry> entry = report.find(number);
            if (entry.isEmpty()) {
                send(ctx, 404, Map.of("error", Map.of("message", "no migration " + number)));
                return;
            }
            Map<String, Object> json = new LinkedHashMap<>(JsonShapes.entry(entry.get()));
            entry.get().migration().ifPresent(m -> {
                json.put("description", m.description());
                json.put("dependents", target.catalog().dependents(m.number()));
            });
            send(ctx, 200, json);
        }, error -> send(ctx, 503, Map.of("error", ErrorHandler.errorJson(error, ExitCodes.USAGE))));
    }

    private void apply(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (adminToken.isEmpty() || adminToken.get().isBlank()) {
            send(ctx, 403, Map.of("error", Map.of("message",
                    "applying over HTTP is disabled: set STRATA_ADMIN_TOKEN to enable it")));
            return;
        }
        if (header == null || !header.startsWith("Bearer ")) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            send(ctx, 401, Map.of("error", Map.of("message", "missing Authorization: Bearer token")));
            return;
        }
        byte[] given = header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, adminToken.get().getBytes(StandardCharsets.UTF_8))) {
            send(ctx, 403, Map.of("error", Map.of("message", "wrong token")));
            return;
        }
        target.migrator(Version.get()).applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                .onTermination().invoke(target::invalidate)
                .subscribe().with(result -> send(ctx, 200, JsonShapes.apply(result, target.settings().redacted())),
                        error -> {
                            int code = ErrorHandler.exitCodeOf(error);
                            send(ctx, code == ExitCodes.USAGE ? 503 : 409,
                                    Map.of("error", ErrorHandler.errorJson(error, code)));
                        });
    }

    private static void send(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Json.write(body));
    }
}
