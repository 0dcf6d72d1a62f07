package dev.strata.cli;

import dev.strata.catalog.CatalogLoader;
import dev.strata.db.ConnectionPool;
import dev.strata.db.ConnectionSettings;
import dev.strata.engine.ApplyOptions;
import dev.strata.engine.FleetRun;
import dev.strata.engine.Target;
import dev.strata.engine.TargetSource;
import dev.strata.engine.TargetWork;
import dev.strata.testing.Engines;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code apply-all --targets FILE --location DIR --parallel P} through the CLI's fleet path
 * ({@link Fleets#runAndReport}: its signal handling, report and exit code) without the Quarkus
 * bootstrap, for a test that sends a real SIGTERM to a child JVM:
 * {@code java -cp <test classpath> dev.strata.cli.FleetSignalMain FILE DIR P}.
 */
public final class FleetSignalMain {

    private FleetSignalMain() {
    }

    /** Runs the fleet and exits with its exit code. */
    public static void main(String[] args) {
        Vertx vertx = Vertx.vertx();
        List<Target> targets = TargetSource.fromFile(Path.of(args[0]), System.getenv());
        int parallel = Integer.parseInt(args[2]);
        FleetRun run = new FleetRun(Engines.migrator(CatalogLoader.fromDirectory(Path.of(args[1])), null),
                (ConnectionSettings s) -> new ConnectionPool(vertx, s, 2, Duration.ofSeconds(5)),
                new FleetRun.Rollout(parallel, 0, true, 0));
        int code = Fleets.runAndReport(run, targets, TargetWork.apply(ApplyOptions.defaults()), false, parallel, 0);
        Console.out().flush();
        Runtime.getRuntime().halt(code);
    }
}
