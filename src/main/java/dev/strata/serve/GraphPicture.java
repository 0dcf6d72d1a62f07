package dev.strata.serve;

import dev.strata.engine.GraphRenderer;
import dev.strata.engine.Graphviz;
import dev.strata.engine.MigrationGraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The migration graph of the status page as inline SVG: drawn by Graphviz's {@code dot} when it is on
 * the PATH (the same DOT as {@code strata graph --format dot}), else by a simple layered layout of
 * Strata's own (rows by dependency depth, plan order within a row, straight edges), so the page works
 * on a machine without Graphviz. Either way every node is an SVG {@code <g class="node STATE">} whose
 * {@code <title>} is its id ({@code m7}); every text from files or the database is XML-escaped (by
 * Graphviz, or here). The last drawing is reused while the DOT text is unchanged.
 */
final class GraphPicture {

    /**
     * One drawing.
     *
     * @param svg     an {@code <svg>} element, without XML prolog or DOCTYPE, ready to inline in HTML
     * @param drawnBy {@code graphviz} or {@code strata} (the fallback layout)
     */
    record Picture(String svg, String drawnBy) {
    }

    private static final int BOX_WIDTH = 250;
    /** The most nodes side by side; a wider depth level wraps onto further rows. */
    private static final int MAX_PER_ROW = 6;
    private static final int LINE_HEIGHT = 17;
    private static final int GAP_X = 24;
    private static final int GAP_Y = 46;
    private static final int MARGIN = 8;

    private final AtomicReference<Map.Entry<String, Picture>> cache = new AtomicReference<>();

    /**
     * Draws {@code graph}; blocks while {@code dot} runs (at most 120 s), so never call it on an event loop.
     *
     * @param path the PATH to look for {@code dot} on
     */
    Picture draw(MigrationGraph graph, String path) {
        String dot = GraphRenderer.dot(graph);
        Map.Entry<String, Picture> last = cache.get();
        if (last != null && last.getKey().equals(dot)) {
            return last.getValue();
        }
        Picture picture;
        if (Graphviz.find(path).isPresent()) {
            String svg = Graphviz.svg(dot, path);
            picture = new Picture(svg.substring(svg.indexOf("<svg")), "graphviz");
        } else {
            picture = new Picture(layered(graph), "strata");
        }
        cache.set(Map.entry(dot, picture));
        return picture;
    }

    /**
     * The fallback: one row per dependency depth (a node sits below its deepest dependency), at
     * most six nodes side by side (a wider level wraps onto further rows).
     */
    static String layered(MigrationGraph graph) {
        Map<String, Integer> depth = new HashMap<>();
        Map<String, List<String>> dependencies = new HashMap<>();
        graph.edges().forEach(e -> dependencies.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from()));
        List<List<MigrationGraph.Node>> rows = new ArrayList<>();
        for (MigrationGraph.Node n : graph.nodes()) {
            // Nodes come in plan order, so every dependency already has its depth.
            int d = dependencies.getOrDefault(n.id(), List.of()).stream()
                    .mapToInt(dep -> depth.getOrDefault(dep, -1) + 1).max().orElse(0);
            depth.put(n.id(), d);
            while (rows.size() <= d) {
                rows.add(new ArrayList<>());
            }
            rows.get(d).add(n);
        }
        List<List<MigrationGraph.Node>> wrapped = new ArrayList<>();
        for (List<MigrationGraph.Node> level : rows) {
            for (int i = 0; i < level.size(); i += MAX_PER_ROW) {
                wrapped.add(level.subList(i, Math.min(i + MAX_PER_ROW, level.size())));
            }
        }
        rows = wrapped;
        int lines = graph.nodes().stream().mapToInt(n -> n.lines().size()).max().orElse(1);
        int boxHeight = lines * LINE_HEIGHT + 14;
        int columns = rows.stream().mapToInt(List::size).max().orElse(1);
        int width = MARGIN * 2 + columns * BOX_WIDTH + (columns - 1) * GAP_X;
        int height = MARGIN * 2 + rows.size() * boxHeight + Math.max(rows.size() - 1, 0) * GAP_Y;
        Map<String, int[]> at = new HashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            List<MigrationGraph.Node> row = rows.get(r);
            int rowWidth = row.size() * BOX_WIDTH + (row.size() - 1) * GAP_X;
            int x = (width - rowWidth) / 2;
            for (MigrationGraph.Node n : row) {
                at.put(n.id(), new int[] {x, MARGIN + r * (boxHeight + GAP_Y)});
                x += BOX_WIDTH + GAP_X;
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"migration graph\">\n");
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
                + "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#4b5563\"/>"
                + "</marker></defs>\n");
        for (MigrationGraph.Edge e : graph.edges()) {
            int[] from = at.get(e.from());
            int[] to = at.get(e.to());
            if (from == null || to == null) {
                continue;
            }
            svg.append("<g class=\"edge\"><title>").append(e.from()).append("->").append(e.to())
                    .append("</title><line x1=\"").append(from[0] + BOX_WIDTH / 2).append("\" y1=\"")
                    .append(from[1] + boxHeight).append("\" x2=\"").append(to[0] + BOX_WIDTH / 2).append("\" y2=\"")
                    .append(to[1]).append("\" stroke=\"#4b5563\" marker-end=\"url(#arrow)\"/></g>\n");
        }
        for (MigrationGraph.Node n : graph.nodes()) {
            int[] p = at.get(n.id());
            String state = n.state().map(s -> " " + s.label()).orElse("");
            svg.append("<g class=\"node").append(state).append("\"><title>").append(n.id()).append("</title>")
                    .append("<rect x=\"").append(p[0]).append("\" y=\"").append(p[1]).append("\" width=\"")
                    .append(BOX_WIDTH).append("\" height=\"").append(boxHeight).append("\" rx=\"8\"/>");
            for (int i = 0; i < n.lines().size(); i++) {
                svg.append("<text x=\"").append(p[0] + BOX_WIDTH / 2).append("\" y=\"")
                        .append(p[1] + 7 + LINE_HEIGHT * (i + 1) - 4).append("\" text-anchor=\"middle\"")
                        .append(i == 0 ? " font-weight=\"600\"" : "").append('>')
                        .append(StatusHtml.escape(n.lines().get(i))).append("</text>");
            }
            svg.append("</g>\n");
        }
        return svg.append("</svg>").toString();
    }
}
