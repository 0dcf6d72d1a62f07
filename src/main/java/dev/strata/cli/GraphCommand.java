package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.db.ConfigException;
import dev.strata.engine.GraphRenderer;
import dev.strata.engine.Graphviz;
import dev.strata.engine.MigrationGraph;
import dev.strata.engine.StatusReport;
import dev.strata.report.ExitCodes;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code strata graph}: the dependency graph as Mermaid, DOT or SVG, coloured by state. */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Draw the migrations and their dependencies in plan order, coloured by state "
                + "(applied, pending, changed, failed, unknown), the next apply-all's migrations highlighted.")
public class GraphCommand implements Callable<Integer> {

    /** Output formats; lower case because users type them. */
    enum Format { mermaid, dot, svg }

    @Mixin
    ConnectionOptions connection;
    @Mixin
    CatalogOptions catalogOptions;

    @Option(names = "--format", defaultValue = "mermaid", paramLabel = "FORMAT",
            description = "mermaid (paste into a ```mermaid block on GitHub/GitLab), dot (Graphviz), "
                    + "or svg (drawn by Graphviz's dot, which must be on the PATH). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--offline", description = "Draw the files alone: no database, no states.")
    boolean offline;

    @Option(names = "--focus", paramLabel = "N",
            description = "Only migration N, what it depends on and what depends on it (transitively).")
    Long focus;

    @Option(names = "--max-nodes", paramLabel = "N", defaultValue = "200",
            description = "Above N nodes, draw one node per range of numbers (10, 100, 1000 … wide). Default: ${DEFAULT-VALUE}.")
    int maxNodes;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path output;

    @Inject
    CommandContext context;

    @Override
    public Integer call() {
        if (maxNodes < 1) {
            throw new ConfigException("--max-nodes " + maxNodes + ": give 1 or more.");
        }
        Catalog catalog = context.catalog(catalogOptions);
        Optional<StatusReport> report = offline ? Optional.empty()
                : Optional.of(context.withMigrator(connection, catalog, migrator -> migrator.status()));
        MigrationGraph graph = MigrationGraph.of(catalog, report);
        if (focus != null) {
            graph = graph.focus(catalog, focus);
        }
        graph = graph.grouped(maxNodes);
        String text = switch (format) {
            case mermaid -> GraphRenderer.mermaid(graph);
            case dot -> GraphRenderer.dot(graph);
            case svg -> Graphviz.svg(GraphRenderer.dot(graph), System.getenv("PATH"));
        };
        write(text);
        Console.err().println("strata: graph of " + graph.nodes().size() + " node" + (graph.nodes().size() == 1 ? "" : "s")
                + ", " + graph.edges().size() + " edge" + (graph.edges().size() == 1 ? "" : "s")
                + (report.isPresent() ? ", states from " + report.get().database() : ", no database (--offline)")
                + (output == null ? "" : ", written to " + output));
        return ExitCodes.OK;
    }

    private void write(String text) {
        if (output == null) {
            Console.out().print(text);
            Console.out().flush();
            return;
        }
        try {
            Files.writeString(output, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("--output " + output + ": cannot write it (" + e.getMessage()
                    + "); give a path in a writable directory.");
        }
    }
}
