package dev.strata.serve;

import dev.strata.catalog.Catalog;
import dev.strata.db.ConnectionPool;
import dev.strata.db.ConnectionSettings;
import dev.strata.engine.Migrator;
import dev.strata.engine.StatusReport;
import dev.strata.engine.Wiring;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the health checks and the HTTP endpoints look at: one database and one catalog, as an
 * immutable {@link Snapshot} swapped atomically (no lock a probe on the event loop could wait
 * for). A command configures it from its options; otherwise ({@code serve} in a container) it is
 * resolved once, on a worker thread, from the environment like every command (DIRECT_DATABASE_URL,
 * DATABASE_URL, …) and the catalog as {@code --location}, {@code --layout} and {@code --adopt} would
 * choose it from their variables ({@code STRATA_LOCATION}, {@code STRATA_LAYOUT}, {@code STRATA_ADOPT},
 * or the configuration {@code strata.location}, {@code strata.layout}, {@code strata.adopt}), else the
 * bundled migrations.
 */
@ApplicationScoped
public class HealthTarget {

    /** The longest a check may wait to connect: Fly.io's default check timeout is 5 s. */
    static final Duration CHECK_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    @Inject
    Wiring wiring;

    @ConfigProperty(name = "strata.location")
    Optional<String> location;

    @ConfigProperty(name = "strata.layout")
    Optional<String> layout;

    @ConfigProperty(name = "strata.adopt")
    Optional<String> adopt;

    /**
     * One configuration: where to connect, which catalog, and two pools, so that applies (which
     * hold two connections for a whole run) never take a connection a health check needs.
     *
     * @param checks pool of 2 for the health checks and the read-only endpoints, connect timeout ≤ 2 s
     * @param work   pool of 4 for applies
     * @param adopt  whether an apply adopts another tool's history table on first contact ({@code --adopt})
     */
    public record Snapshot(ConnectionSettings settings, Catalog catalog, ConnectionPool checks, ConnectionPool work,
                           boolean adopt) {
    }

    private final AtomicReference<Uni<Snapshot>> snapshot = new AtomicReference<>();
    private final AtomicReference<Uni<StatusReport>> status = new AtomicReference<>();

    /**
     * Points the checks at a database and catalog; closes the previous pools (blocks: not on an
     * event loop).
     *
     * @param connectTimeout how long a command may wait for an unreachable server; checks wait at most 2 s
     */
    public void configure(ConnectionSettings settings, Catalog catalog, Duration connectTimeout) {
        configure(settings, catalog, true, connectTimeout);
    }

    /**
     * Like {@link #configure(ConnectionSettings, Catalog, Duration)}, with the {@code --adopt} choice.
     *
     * @param adopt whether an apply over HTTP adopts another tool's history table (Flyway's) on first contact
     */
    public void configure(ConnectionSettings settings, Catalog catalog, boolean adopt, Duration connectTimeout) {
        Snapshot next = open(settings, catalog, adopt, connectTimeout);
        Uni<Snapshot> previous = snapshot.getAndSet(Uni.createFrom().item(next));
        status.set(null);
        close(previous);
    }

    /**
     * The current snapshot; the first call without {@link #configure} resolves it on a worker
     * thread (loading the catalog reads and hashes files), and every later call reuses it.
     */
    public Uni<Snapshot> snapshot() {
        Uni<Snapshot> current = snapshot.get();
        if (current != null) {
            return current;
        }
        Uni<Snapshot> resolved = Uni.createFrom().item(this::fromEnvironment)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .memoize().indefinitely();
        return snapshot.compareAndSet(null, resolved) ? resolved : snapshot.get();
    }

    /** The connection settings; blocks until the snapshot is resolved (not on an event loop). */
    public ConnectionSettings settings() {
        return snapshot().await().indefinitely().settings();
    }

    /** The catalog; blocks until the snapshot is resolved (not on an event loop). */
    public Catalog catalog() {
        return snapshot().await().indefinitely().catalog();
    }

    /**
     * The catalog compared with the schema history (on the checks' pool), shared by the checks of
     * one health request: the result is reused for 1 s.
     */
    public Uni<StatusReport> status() {
        Uni<StatusReport> current = status.get();
        if (current != null) {
            return current;
        }
        Uni<StatusReport> fresh = snapshot()
                .chain(s -> new Migrator(s.catalog(), s.checks(), "health")
                        .historyTable(System.getenv("STRATA_HISTORY_TABLE")).status())
                .memoize().atLeast(Duration.ofSeconds(1));
        return status.compareAndSet(null, fresh) ? fresh : status.get();
    }

    /** Forgets the shared status report, e.g. after migrations were applied over HTTP. */
    public void invalidate() {
        status.set(null);
    }

    private Snapshot fromEnvironment() {
        String dir = Optional.ofNullable(System.getenv("STRATA_LOCATION")).or(() -> location).orElse(null);
        Wiring.CatalogChoice choice = wiring.catalogChoice(dir, layout.orElse(null), adopt.orElse(null));
        return open(wiring.settings(null, false), choice.catalog(), choice.adopt(), Duration.ofSeconds(3));
    }

    private Snapshot open(ConnectionSettings settings, Catalog catalog, boolean adopt, Duration connectTimeout) {
        Duration checkTimeout = connectTimeout.compareTo(CHECK_CONNECT_TIMEOUT) < 0 ? connectTimeout
                : CHECK_CONNECT_TIMEOUT;
        return new Snapshot(settings, catalog, wiring.pool(settings, 2, checkTimeout, Duration.ZERO),
                wiring.pool(settings, 4, connectTimeout, ConnectionPool.DEFAULT_UNRESPONSIVE_TIMEOUT), adopt);
    }

    @PreDestroy
    void closeDatabase() {
        status.set(null);
        close(snapshot.getAndSet(null));
    }

    /**
     * Closes a snapshot's pools, if it was resolved. Closing waits for the Vert.x event loop, so it
     * must run on the caller's thread, never on the event loop a check runs on.
     */
    private static void close(Uni<Snapshot> previous) {
        if (previous == null) {
            return;
        }
        Snapshot s = previous.onFailure().recoverWithNull().await().atMost(Duration.ofSeconds(10));
        if (s != null) {
            s.checks().close();
            s.work().close();
        }
    }
}
