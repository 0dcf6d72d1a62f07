package dev.strata.testing;

import dev.strata.catalog.CatalogLoader;
import dev.strata.engine.ApplyOptions;
import dev.strata.engine.ProgressListener;

import java.nio.file.Path;

/**
 * {@code apply-all} in a process of its own (the engine without the CLI), for tests that kill
 * the runner with SIGKILL: {@code java -cp <test classpath> dev.strata.testing.ApplyMain URL DIR}.
 * Prints {@code applied N} and exits 0, or prints the error and exits 1.
 */
public final class ApplyMain {

    private ApplyMain() {
    }

    /** Applies the migrations in DIR to URL. */
    public static void main(String[] args) {
        try (var database = Engines.database(args[0])) {
            var result = Engines.migrator(CatalogLoader.fromDirectory(Path.of(args[1])), database)
                    .applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely();
            System.out.println("applied " + result.applied().size());
            System.exit(0);
        } catch (RuntimeException e) {
            System.out.println("error " + e);
            System.exit(1);
        }
    }
}
