package dev.strata.serve;

import dev.strata.catalog.Catalog;
import dev.strata.engine.FleetRun;
import dev.strata.engine.FleetSummary;
import dev.strata.engine.Migrator;
import dev.strata.engine.Target;
import dev.strata.engine.TargetResult;
import dev.strata.engine.TargetWork;
import dev.strata.engine.Wiring;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fleet that {@code serve --targets FILE} (or {@code --targets-query SQL}) shows read-only on its
 * status page: {@code status} on every target (what {@code strata status --targets} does), at most
 * {@code parallel} targets at a time, each on a pool of its own closed when it is done. A result is
 * reused for {@link #REUSE} so that page refreshes do not multiply connections; nothing is written.
 */
@ApplicationScoped
public class FleetStatus {

    /** How long one round over the fleet is reused: 10 s. */
    static final Duration REUSE = Duration.ofSeconds(10);

    /** Connections per target for a status read (the pool opens them lazily). */
    private static final int CONNECTIONS_PER_TARGET = 2;

    /**
     * One round over the fleet.
     *
     * @param results   one per target, in the order of the targets file or query
     * @param summary   the totals
     * @param checkedAt when the round finished (this machine's clock)
     */
    public record View(List<TargetResult> results, FleetSummary summary, OffsetDateTime checkedAt) {
    }

    private record Config(List<Target> targets, Catalog catalog, int parallel, Duration connectTimeout) {
    }

    @Inject
    Wiring wiring;

    private final AtomicReference<Config> config = new AtomicReference<>();
    private final AtomicReference<Uni<View>> view = new AtomicReference<>();

    /**
     * Shows these targets on the status page.
     *
     * @param parallel       targets read at the same time, 1 or more
     * @param connectTimeout how long to wait for one target's server
     */
    public void configure(List<Target> targets, Catalog catalog, int parallel, Duration connectTimeout) {
        config.set(new Config(List.copyOf(targets), catalog, Math.max(parallel, 1), connectTimeout));
        view.set(null);
    }

    /** Whether a fleet is configured. */
    public boolean configured() {
        return config.get() != null;
    }

    /** The fleet's status, at most {@link #REUSE} old; empty when no fleet is configured. */
    public Uni<Optional<View>> view() {
        Config c = config.get();
        if (c == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        Uni<View> current = view.get();
        if (current == null) {
            Uni<View> fresh = round(c).memoize().atLeast(REUSE);
            current = view.compareAndSet(null, fresh) ? fresh : view.get();
        }
        return current.map(Optional::of);
    }

    private Uni<View> round(Config c) {
        return Uni.createFrom().deferred(() -> {
            // No adoption: the page only reads, it never converts another tool's history table.
            Migrator prototype = wiring.migrator(c.catalog(), null, java.util.Set.of(), false);
            FleetRun run = new FleetRun(prototype,
                    settings -> wiring.pool(settings, CONNECTIONS_PER_TARGET, c.connectTimeout(), Duration.ZERO),
                    new FleetRun.Rollout(c.parallel(), 0, false, 0));
            List<TargetResult> finished = Collections.synchronizedList(new ArrayList<>());
            return run.run(c.targets(), TargetWork.status(), finished::add).map(summary -> {
                List<TargetResult> ordered = new ArrayList<>();
                for (Target t : c.targets()) {
                    finished.stream().filter(r -> r.name().equals(t.name())).findFirst().ifPresent(ordered::add);
                }
                return new View(List.copyOf(ordered), summary, OffsetDateTime.now(ZoneOffset.UTC));
            });
        });
    }
}
