package dev.strata.serve;

import dev.strata.db.DatabaseUrl;
import dev.strata.engine.ApplyOptions;
import dev.strata.engine.ApplyResult;
import dev.strata.engine.Migrator;
import dev.strata.engine.ProgressListener;
import dev.strata.engine.Version;
import dev.strata.report.ErrorReport;
import dev.strata.report.ExitCodes;
import dev.strata.report.Json;
import dev.strata.report.JsonShapes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP endpoints of {@code strata serve}: {@code GET /migrations} (status and every migration),
 * {@code GET /migrations/{number}}, and {@code POST /migrations/apply}, which needs
 * {@code Authorization: Bearer <STRATA_ADMIN_TOKEN>} (401 without it, 403 with a wrong one or when no
 * token is configured). Responses are JSON with the shapes of the {@code --json} output. Nothing here
 * blocks an event loop: reads are reactive, applies run one at a time on their own thread.
 */
@ApplicationScoped
public class MigrationRoutes {

    /** The thread applies run on, one after the other (a daemon: it never delays the exit). */
    private static final ExecutorService APPLIES = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "strata-apply");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    HealthTarget target;

    @Inject
    LastApply lastApply;

    @ConfigProperty(name = "strata.admin-token")
    Optional<String> adminToken;

    /** Adds these endpoints to {@code router} ({@link HttpService} calls it). */
    void register(Router router) {
        router.get("/migrations").handler(this::list);
        router.get("/migrations/:number").handler(this::one);
        router.post("/migrations/apply").handler(this::apply);
    }

    private void list(RoutingContext ctx) {
        target.snapshot().chain(snapshot -> target.status().map(report -> {
            Map<String, Object> json = JsonShapes.status(report, snapshot.catalog());
            json.put("entries", report.entries().stream().map(JsonShapes::entry).toList());
            return json;
        })).subscribe().with(json -> send(ctx, 200, json),
                error -> send(ctx, 503, Map.of("error", ErrorReport.errorJson(error, ExitCodes.USAGE))));
    }

    private void one(RoutingContext ctx) {
        long number;
        try {
            number = Long.parseLong(ctx.pathParam("number"));
        } catch (NumberFormatException e) {
            send(ctx, 400, Map.of("error", Map.of("message", "not a migration number: " + ctx.pathParam("number"))));
            return;
        }
        target.snapshot().chain(snapshot -> target.status().map(report -> report.find(number).map(entry -> {
            Map<String, Object> json = new LinkedHashMap<>(JsonShapes.entry(entry));
            entry.migration().ifPresent(m -> {
                json.put("description", m.description());
                json.put("dependents", snapshot.catalog().dependents(m.number()));
            });
            return json;
        }))).subscribe().with(json -> {
            if (json.isEmpty()) {
                send(ctx, 404, Map.of("error", Map.of("message", "no migration " + number)));
            } else {
                send(ctx, 200, json.get());
            }
        }, error -> send(ctx, 503, Map.of("error", ErrorReport.errorJson(error, ExitCodes.USAGE))));
    }

    private void apply(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (adminToken.isEmpty() || adminToken.get().isBlank()) {
            send(ctx, 403, Map.of("error", Map.of("message",
                    "applying over HTTP is disabled: set STRATA_ADMIN_TOKEN to enable it")));
            return;
        }
        Optional<String> token = bearerToken(header);
        if (token.isEmpty()) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            send(ctx, 401, Map.of("error", Map.of("message", "missing Authorization: Bearer token")));
            return;
        }
        byte[] given = token.get().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, adminToken.get().getBytes(StandardCharsets.UTF_8))) {
            send(ctx, 403, Map.of("error", Map.of("message", "wrong token")));
            return;
        }
        Context context = Vertx.currentContext();
        OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);
        long started = System.nanoTime();
        // One apply thread: a request waits in its queue (holding no connection), then scans and
        // runs on it, and answers with its own outcome (e.g. up to date after the one before it).
        Uni.createFrom().item(() -> applyNow(startedAt))
                .runSubscriptionOn(APPLIES)
                .subscribe().with(json -> context.runOnContext(v -> send(ctx, 200, json)),
                        error -> context.runOnContext(v -> {
                            lastApply.record(new LastApply.Run(startedAt, (System.nanoTime() - started) / 1_000_000,
                                    "failed", List.of(), DatabaseUrl.redactText(String.valueOf(error.getMessage()))));
                            int code = ErrorReport.exitCodeOf(error);
                            send(ctx, code == ExitCodes.USAGE ? 503 : 409,
                                    Map.of("error", ErrorReport.errorJson(error, code)));
                        }));
    }

    /** Applies every pending migration and waits for the outcome; runs only on {@link #APPLIES}. */
    private Map<String, Object> applyNow(OffsetDateTime startedAt) {
        HealthTarget.Snapshot snapshot = target.snapshot().await().indefinitely();
        try {
            ApplyResult result = new Migrator(snapshot.catalog(), snapshot.work(), Version.get())
                    .adoption(snapshot.adopt()).historyTable(System.getenv("STRATA_HISTORY_TABLE"))
                    .applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely();
            lastApply.record(new LastApply.Run(startedAt, result.totalMs(),
                    result.applied().isEmpty() ? "up-to-date" : "applied",
                    result.applied().stream().map(step -> step.migration().name()).toList(), null));
            return JsonShapes.apply(result, snapshot.settings().redacted());
        } finally {
            target.invalidate();
        }
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} header; the scheme is matched without
     * regard to case (RFC 9110 §11.1, RFC 6750 §2.1).
     */
    static Optional<String> bearerToken(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String value = header.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !"bearer".equalsIgnoreCase(value.substring(0, space))) {
            return Optional.empty();
        }
        String token = value.substring(space + 1).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static void send(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Json.write(body));
    }
}
