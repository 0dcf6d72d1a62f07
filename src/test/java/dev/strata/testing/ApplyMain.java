package dev.strata.testing;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogLoader;
import dev.strata.engine.ApplyOptions;
import dev.strata.engine.ProgressListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code apply-all} in a process of its own (the engine without the CLI), for tests that kill
 * the runner with SIGKILL, and for Quarkus test resources that prepare a database before their
 * application starts: {@code java -cp <test classpath> dev.strata.testing.ApplyMain URL DIR|bundled [TARGET]}.
 * Prints {@code applied N} and exits 0, or prints the error and exits 1.
 */
public final class ApplyMain {

    private ApplyMain() {
    }

    /** Applies the migrations in DIR (or the bundled set for {@code bundled}) to URL, up to TARGET when given. */
    public static void main(String[] args) {
        try (var database = Engines.database(args[0])) {
            Catalog catalog = "bundled".equals(args[1]) ? Engines.bundledCatalog() : CatalogLoader.fromDirectory(Path.of(args[1]));
            ApplyOptions options = args.length > 2 ? ApplyOptions.defaults().withTarget(Long.parseLong(args[2]))
                    : ApplyOptions.defaults();
            var result = Engines.migrator(catalog, database).applyAll(options, ProgressListener.NONE).await().indefinitely();
            System.out.println("applied " + result.applied().size());
            System.exit(0);
        } catch (RuntimeException e) {
            System.out.println("error " + e);
            System.exit(1);
        }
    }

    /**
     * Runs {@link #main} in a child JVM on this JVM's class path and waits for it (at most 120 s).
     * A Quarkus test resource's {@code start()} runs between two Quarkus applications of the test
     * run, where Mutiny still holds the previous application's context-propagation interceptor
     * without its context manager (every Uni fails with a NullPointerException in
     * SmallRyeThreadContext), so the engine cannot run in that JVM there.
     *
     * @param location a migrations folder, or {@code bundled}
     * @param target the last migration number to apply, or null for all
     * @throws IllegalStateException when the child does not print {@code applied N} and exit 0
     */
    public static void inChildJvm(String url, String location, Long target) {
        try {
            var command = new java.util.ArrayList<>(java.util.List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ApplyMain.class.getName(), url, location));
            if (target != null) {
                command.add(target.toString());
            }
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = child.getInputStream().readAllBytes();
            if (!child.waitFor(120, TimeUnit.SECONDS) || child.exitValue() != 0) {
                child.destroyForcibly();
                throw new IllegalStateException("apply-all in a child JVM failed: " + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
