package dev.strata.serve;

import org.junit.jupiter.api.Tag;
import dev.strata.api.Migration;
import dev.strata.catalog.CatalogLoader;
import dev.strata.db.ConnectionSettings;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code strata serve} configures the health target while readiness probes may already arrive (the
 * HTTP server starts with the application, before the command runs). Re-pointing the target closes
 * the previous pool, which waits for the event loops; the probes run on those event loops and take
 * the target's lock. Closing under that lock deadlocked both: the probe never answered and the
 * process ignored SIGTERM (found by scripts/launcher-smoke.sh).
 */
@Tag("cli")
@QuarkusTest
class HealthTargetConcurrencyTest {

    @Inject
    HealthTarget target;

    @Inject
    Vertx vertx;

    @Inject
    @Any
    Instance<Migration> migrations;

    @Test
    void reconfiguringWhileProbesRunOnEveryEventLoopNeverDeadlocks() {
        try (TestDatabase db = TestDatabase.create("healthlock")) {
            ConnectionSettings settings = ConnectionSettings.resolve(db.url(), Map.of(), Optional.empty());
            var catalog = CatalogLoader.fromClasspath(migrations, Thread.currentThread().getContextClassLoader());
            target.configure(settings, catalog, Duration.ofSeconds(3));
            AtomicInteger probes = new AtomicInteger();
            List<Long> timers = new ArrayList<>();
            // one timer per context, spread over the event loops: each tick asks for the status,
            // as a health check does, and so takes the target's lock on an event loop thread
            for (int i = 0; i < 8; i++) {
                timers.add(vertx.setPeriodic(1, id -> target.status().subscribe().with(
                        report -> probes.incrementAndGet(), failure -> probes.incrementAndGet())));
            }
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                    for (int i = 0; i < 25; i++) {
                        target.snapshot().await().indefinitely(); // pools for the next configure to close
                        Thread.sleep(20);
                        target.configure(settings, catalog, Duration.ofSeconds(3));
                    }
                });
            } finally {
                timers.forEach(vertx::cancelTimer);
            }
            assertThat(probes.get()).as("probes answered meanwhile").isPositive();
            // and the target still works afterwards
            var report = target.status().await().atMost(Duration.ofSeconds(10));
            assertThat(report.count(dev.strata.engine.MigrationState.PENDING)).isEqualTo(8);
        }
    }
}
