package dev.strata.serve;

import dev.strata.db.DatabaseUrl;
import dev.strata.engine.MigrationGraph;
import dev.strata.engine.StatusReport;
import dev.strata.report.Json;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The read-only status page of {@code strata serve}: {@code GET /} (HTML: counts, the last run, the
 * fleet, the migration graph as inline SVG, every migration), {@code GET /status.json} (the same data;
 * the page's script polls it every 10 s and reloads when something changed) and {@code POST /session}
 * (the page's sign-in form; sets the session cookie). Who may read it is {@link PageAccess}'s rule:
 * with {@code STRATA_ADMIN_TOKEN} the token (bearer header or the cookie), without it only direct
 * requests from loopback or private addresses. Every response carries a Content-Security-Policy
 * that allows only this response's own inline style and script (a fresh nonce each time) and
 * connections to this origin. Nothing here writes to a database.
 */
@ApplicationScoped
public class StatusPage {

    /** The most graph nodes drawn one by one; above it, ranges (as {@code strata graph --max-nodes}). */
    static final int MAX_NODES = 200;

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    HealthTarget target;

    @Inject
    LastApply lastApply;

    @Inject
    FleetStatus fleet;

    @ConfigProperty(name = "strata.admin-token")
    Optional<String> adminToken;

    private final GraphPicture pictures = new GraphPicture();

    /** Adds the page, its JSON and its sign-in form to {@code router} ({@link HttpService} calls it). */
    void register(Router router) {
        router.get("/").handler(this::page);
        router.get("/status.json").handler(this::json);
        router.post("/session").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(this::session);
    }

    private PageAccess access() {
        return new PageAccess(adminToken);
    }

    private PageAccess.Decision decide(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Cookie cookie = request.getCookie(PageAccess.COOKIE);
        return access().decide(request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                request::getHeader, cookie == null ? null : cookie.getValue());
    }

    private void page(RoutingContext ctx) {
        String nonce = nonce();
        PageAccess.Decision decision = decide(ctx);
        if (decision == PageAccess.Decision.LOGIN) {
            html(ctx, 401, nonce, StatusHtml.login(nonce, false));
            return;
        }
        if (decision == PageAccess.Decision.FORBIDDEN) {
            html(ctx, 403, nonce, access().tokenRequired() ? StatusHtml.login(nonce, true) : StatusHtml.forbidden(nonce));
            return;
        }
        Context context = Vertx.currentContext();
        view(true).subscribe().with(
                view -> context.runOnContext(v -> html(ctx, view.error().isPresent() ? 503 : 200, nonce,
                        StatusHtml.page(view, nonce))),
                error -> context.runOnContext(v -> html(ctx, 503, nonce, StatusHtml.failure(nonce,
                        DatabaseUrl.redactText(String.valueOf(error.getMessage()))))));
    }

    private void json(RoutingContext ctx) {
        PageAccess.Decision decision = decide(ctx);
        if (decision != PageAccess.Decision.ALLOW) {
            boolean login = decision == PageAccess.Decision.LOGIN;
            send(ctx, login ? 401 : 403, "application/json", Json.write(Map.of("error", Map.of("message",
                    login ? "this page needs the admin token: Authorization: Bearer TOKEN, or sign in at /"
                            : access().tokenRequired() ? "wrong token"
                            : "only direct requests from loopback or private addresses; set STRATA_ADMIN_TOKEN"))));
            return;
        }
        Context context = Vertx.currentContext();
        view(false).subscribe().with(
                view -> context.runOnContext(v -> send(ctx, view.error().isPresent() ? 503 : 200, "application/json",
                        view.jsonText())),
                error -> context.runOnContext(v -> send(ctx, 503, "application/json", Json.write(Map.of("error",
                        Map.of("message", DatabaseUrl.redactText(String.valueOf(error.getMessage()))))))));
    }

    /** The sign-in form's target: the right token gets the session cookie and a redirect to the page. */
    private void session(RoutingContext ctx) {
        String nonce = nonce();
        PageAccess access = access();
        if (!access.tokenRequired()) {
            redirect(ctx, null);
            return;
        }
        if (!sameOrigin(ctx.request())) {
            html(ctx, 403, nonce, StatusHtml.login(nonce, true));
            return;
        }
        String token = ctx.body().available() ? formField(ctx.body().asString(StandardCharsets.UTF_8.name()), "token") : null;
        if (!access.isToken(token)) {
            html(ctx, 403, nonce, StatusHtml.login(nonce, true));
            return;
        }
        boolean https = ctx.request().isSSL() || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
        redirect(ctx, PageAccess.COOKIE + "=" + access.cookieValue() + "; Path=/; HttpOnly; SameSite=Strict"
                + (https ? "; Secure" : ""));
    }

    /**
     * Reads the page's data: the catalog against the history (its error, when it cannot be read),
     * the fleet, and (when {@code draw}) the graph, drawn on a worker thread because {@code dot} blocks.
     */
    private Uni<StatusView> view(boolean draw) {
        return target.snapshot().chain(snapshot -> target.status()
                        .map(report -> new Read(snapshot, Optional.of(report), Optional.<String>empty()))
                        .onFailure().recoverWithItem(e -> new Read(snapshot, Optional.empty(),
                                Optional.of(DatabaseUrl.redactText(String.valueOf(e.getMessage()))))))
                .chain(read -> fleet.view().map(f -> read.with(f)))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(read -> {
                    MigrationGraph graph = MigrationGraph.of(read.snapshot().catalog(), read.report());
                    GraphPicture.Picture picture = draw ? pictures.draw(graph.grouped(MAX_NODES), System.getenv("PATH"))
                            : new GraphPicture.Picture("", "none");
                    return new StatusView(read.report().map(StatusReport::database)
                            .orElse(read.snapshot().settings().redacted()), read.snapshot().catalog().location(),
                            read.snapshot().catalog().size(), read.report(), read.error(), lastApply.get(), read.fleet(),
                            StatusView.rows(read.snapshot().catalog(), read.report(), graph), picture,
                            OffsetDateTime.now(ZoneOffset.UTC));
                });
    }

    private record Read(HealthTarget.Snapshot snapshot, Optional<StatusReport> report, Optional<String> error,
                        Optional<FleetStatus.View> fleet) {
        Read(HealthTarget.Snapshot snapshot, Optional<StatusReport> report, Optional<String> error) {
            this(snapshot, report, error, Optional.empty());
        }

        Read with(Optional<FleetStatus.View> f) {
            return new Read(snapshot, report, error, f);
        }
    }

    /** A browser's form post carries Origin; when it does, it must be this server (RFC 6454). */
    private static boolean sameOrigin(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        String host = request.getHeader(HttpHeaders.HOST);
        try {
            URI uri = URI.create(origin);
            return host != null && uri.getAuthority() != null && uri.getAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** One field of an {@code application/x-www-form-urlencoded} body, or null. */
    static String formField(String body, String name) {
        if (body == null) {
            return null;
        }
        try {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        } catch (IllegalArgumentException e) {
            return null; // a malformed %-escape: no usable field
        }
        return null;
    }

    private static void redirect(RoutingContext ctx, String cookie) {
        headers(ctx, null);
        if (cookie != null) {
            ctx.response().putHeader(HttpHeaders.SET_COOKIE, cookie);
        }
        ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/").end();
    }

    private static void html(RoutingContext ctx, int status, String nonce, String body) {
        headers(ctx, nonce);
        send(ctx, status, "text/html; charset=utf-8", body);
    }

    private static void send(RoutingContext ctx, int status, String type, String body) {
        if (ctx.response().headers().get("Content-Security-Policy") == null) {
            headers(ctx, null);
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, type).end(body);
    }

    /**
     * The headers of every response: a CSP that allows nothing but this response's inline style
     * and script (by nonce; CSP Level 3, "nonce-source") and fetches to this origin; no framing,
     * no sniffing, no caching, no referrer.
     */
    private static void headers(RoutingContext ctx, String nonce) {
        String inline = nonce == null ? "'none'" : "'nonce-" + nonce + "'";
        ctx.response()
                .putHeader("Content-Security-Policy", "default-src 'none'; script-src " + inline + "; style-src "
                        + inline + "; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                        + "base-uri 'none'")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private static String nonce() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
