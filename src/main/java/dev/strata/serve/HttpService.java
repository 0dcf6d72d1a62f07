package dev.strata.serve;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP server of {@code strata serve}: a Vert.x core HTTP server with a Vert.x Web router on
 * the Vert.x instance Quarkus runs for the database client. The router has the health check
 * routes ({@link HealthRoutes}: {@code /q/health}, {@code /q/health/live}, {@code /q/health/ready}, …),
 * the migration endpoints ({@link MigrationRoutes}) and the status page ({@link StatusPage}); any
 * other path answers 404, a known path with another method 405 (Vert.x Web's own answers).
 *
 * <p>Only {@code serve} starts it ({@link HttpLifecycle}, when {@code strata.http.enabled} is true,
 * which {@code dev.strata.StrataMain} sets for {@code serve}); on every other command no server
 * starts and neither Vert.x Web nor the health reporter is initialised. It listens on
 * {@code strata.http.host} (default 0.0.0.0: every address) and {@code strata.http.port} (default
 * {@code $PORT}, else 8080, as application.properties sets it; 0 picks a free port, see {@link #port()}),
 * one server per Vert.x event loop sharing the port, with the limits Quarkus's HTTP server had:
 * request headers up to 20 KB, connections idle for 30 minutes closed, HTTP/1.1 and cleartext HTTP/2.
 */
@ApplicationScoped
public class HttpService {

    /** How long listening, or closing, may take before {@link #start()} or {@link #stop()} gives up, in s. */
    static final long TIMEOUT_SECONDS = 30;

    private static final Logger LOG = Logger.getLogger(HttpService.class);

    @Inject
    Vertx vertx;

    @Inject
    HealthRoutes health;

    @Inject
    MigrationRoutes migrations;

    @Inject
    StatusPage statusPage;

    @ConfigProperty(name = "strata.http.port", defaultValue = "8080")
    int configuredPort;

    @ConfigProperty(name = "strata.http.host", defaultValue = "0.0.0.0")
    String host;

    private String deployment;
    private volatile int port = -1;

    /**
     * Builds the router and listens; blocks until every server listens (not on an event loop).
     * Calling it again while listening does nothing.
     *
     * @return the port listened on: the configured one, or the one the system chose for port 0
     * @throws IllegalStateException when the address cannot be bound (e.g. the port is in use) or
     *                               listening takes longer than 30 s; nothing is left listening then
     */
    public synchronized int start() {
        if (port >= 0) {
            return port;
        }
        Router router = Router.router(vertx);
        health.register(router);
        migrations.register(router);
        statusPage.register(router);
        router.route().failureHandler(HttpService::failed);
        HttpServerOptions options = new HttpServerOptions()
                .setMaxHeaderSize(20 * 1024)
                .setIdleTimeout(30 * 60)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setHttp2ClearTextEnabled(true);
        // One server per event loop on the same port; Vert.x binds it once and hands the servers
        // connections in turn. For port 0 they share one free port: Vert.x's negative port.
        AtomicInteger bound = new AtomicInteger();
        int listenOn = configuredPort == 0 ? -1 : configuredPort;
        try {
            deployment = await(vertx.deployVerticle(() -> new Listener(router, options, host, listenOn, bound),
                    new DeploymentOptions().setInstances(eventLoops())));
        } catch (RuntimeException e) {
            stop();
            throw new IllegalStateException("cannot listen on " + host + ":" + configuredPort + ": " + e.getMessage(), e);
        }
        port = bound.get();
        return port;
    }

    /**
     * The port the server listens on (the system's choice when {@code strata.http.port} is 0).
     *
     * @throws IllegalStateException when it does not listen ({@link #start()} was not called or failed)
     */
    public int port() {
        int current = port;
        if (current < 0) {
            throw new IllegalStateException("the HTTP server does not listen: strata.http.enabled is false");
        }
        return current;
    }

    /** Whether the server listens. */
    public boolean listening() {
        return port >= 0;
    }

    /**
     * Stops listening and closes the open connections; blocks for at most 30 s (not on an event
     * loop). Does nothing when not listening.
     */
    public synchronized void stop() {
        port = -1;
        String id = deployment;
        deployment = null;
        if (id != null) {
            try {
                await(vertx.undeploy(id));
            } catch (RuntimeException e) {
                // Vert.x closes anything left when Quarkus closes it, right after
            }
        }
    }

    /**
     * A request a handler failed: with a status only (e.g. 413 from a body limit), that status and
     * an empty body; with an exception, 500 and an empty body, and the exception logged. (As
     * Quarkus's HTTP server answered them; Vert.x Web would add a text body.)
     */
    private static void failed(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = failure == null && ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
        if (failure != null) {
            LOG.errorf(failure, "HTTP request to %s %s failed", ctx.request().method(), ctx.normalizedPath());
        }
        if (!ctx.response().ended() && !ctx.response().headWritten()) {
            ctx.response().setStatusCode(status).end();
        } else if (!ctx.response().ended()) {
            ctx.response().reset();
        }
    }

    /** How many event loops Quarkus's Vert.x runs (its default: twice the processors). */
    private int eventLoops() {
        int count = 0;
        for (var ignored : vertx.nettyEventLoopGroup()) {
            count++;
        }
        return Math.max(1, count);
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * One HTTP server on its verticle's event loop; closed by Vert.x when the verticle is undeployed.
     * Sets {@code bound} to the port it listens on.
     */
    private static final class Listener extends AbstractVerticle {
        private final Router router;
        private final HttpServerOptions options;
        private final String host;
        private final int port;
        private final AtomicInteger bound;

        Listener(Router router, HttpServerOptions options, String host, int port, AtomicInteger bound) {
            this.router = router;
            this.options = options;
            this.host = host;
            this.port = port;
            this.bound = bound;
        }

        @Override
        public void start(Promise<Void> started) {
            vertx.createHttpServer(options).requestHandler(router).listen(port, host)
                    .onSuccess(server -> {
                        bound.set(server.actualPort());
                        started.complete();
                    })
                    .onFailure(started::fail);
        }
    }
}
