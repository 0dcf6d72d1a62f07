package dev.strata.engine;

import dev.strata.db.ConfigException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Draws DOT text as SVG with Graphviz's {@code dot} program, found on the PATH; used by
 * {@code strata graph --format svg} and by the status page of {@code strata serve}.
 */
public final class Graphviz {

    /** The error when there is no {@code dot}: what to install, or which format to use instead. */
    public static final String MISSING = "--format svg needs Graphviz, and there is no `dot` program on the PATH. "
            + "Install it (Debian/Ubuntu: apt-get install graphviz; Fedora: dnf install graphviz; macOS: brew install graphviz), "
            + "or use --format mermaid or --format dot.";

    private static final long TIMEOUT_SECONDS = 120;

    private Graphviz() {
    }

    /** The {@code dot} executable in one of the directories of {@code path} (a PATH value), if any. */
    public static Optional<Path> find(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "dot");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The SVG that {@code dot -Tsvg} draws from {@code dot}.
     *
     * @param path the PATH to search for {@code dot}
     * @throws ConfigException when there is no {@code dot} on it (exit 2)
     * @throws IllegalStateException when {@code dot} fails or takes longer than 120 s
     */
    public static String svg(String dotText, String path) {
        Path dot = find(path).orElseThrow(() -> new ConfigException(MISSING));
        try {
            // Files rather than pipes: dot reads all its input before it writes, and a pipe
            // written and read by one thread could fill up and stall both sides.
            Path input = Files.createTempFile("strata-graph", ".dot");
            Path output = Files.createTempFile("strata-graph", ".svg");
            Path errors = Files.createTempFile("strata-graph", ".err");
            try {
                Files.writeString(input, dotText, StandardCharsets.UTF_8);
                Process process = new ProcessBuilder(dot.toString(), "-Tsvg", input.toString())
                        .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(dot + " did not finish within " + TIMEOUT_SECONDS
                            + " s; draw a smaller graph with --focus N or --max-nodes N.");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(dot + " -Tsvg failed (exit " + process.exitValue() + "): "
                            + Files.readString(errors, StandardCharsets.UTF_8).strip());
                }
                return Files.readString(output, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(input);
                Files.deleteIfExists(output);
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + dot + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + dot + " was drawing the graph", e);
        }
    }
}
