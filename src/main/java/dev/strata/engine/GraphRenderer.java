package dev.strata.engine;

import java.util.List;
import java.util.Map;

/**
 * Writes a {@link MigrationGraph} as Mermaid flowchart text (renders in GitHub and GitLab Markdown
 * inside a {@code ```mermaid} block) or as Graphviz DOT; nodes appear in plan order, each state with
 * its own colour, and pending migrations (the next {@code apply-all}) with a thick border.
 */
public final class GraphRenderer {

    /** Fill, border and text colour per state; pending is the highlighted next release. */
    private static final Map<MigrationState, String[]> COLOURS = Map.of(
            MigrationState.APPLIED, new String[] {"#dcfce7", "#15803d", "#14532d"},
            MigrationState.BASELINE, new String[] {"#e0f2fe", "#0369a1", "#0c4a6e"},
            MigrationState.PENDING, new String[] {"#fef9c3", "#ca8a04", "#713f12"},
            MigrationState.CHANGED, new String[] {"#ffedd5", "#ea580c", "#7c2d12"},
            MigrationState.FAILED, new String[] {"#fee2e2", "#dc2626", "#7f1d1d"},
            MigrationState.UNKNOWN, new String[] {"#f3f4f6", "#6b7280", "#374151"});

    private static final List<MigrationState> STATES = List.of(MigrationState.APPLIED, MigrationState.BASELINE,
            MigrationState.PENDING, MigrationState.CHANGED, MigrationState.FAILED, MigrationState.UNKNOWN);

    private GraphRenderer() {
    }

    /**
     * Mermaid flowchart text ({@code flowchart TD}), one line per node then per edge, then a
     * {@code classDef} per state when the graph has states (Mermaid docs, "Flowcharts syntax").
     */
    public static String mermaid(MigrationGraph graph) {
        StringBuilder out = new StringBuilder("flowchart TD\n");
        for (MigrationGraph.Node n : graph.nodes()) {
            out.append("    ").append(n.id()).append("[\"").append(mermaidLabel(n.lines())).append("\"]");
            n.state().ifPresent(s -> out.append(":::").append(s.label()));
            out.append('\n');
        }
        for (MigrationGraph.Edge e : graph.edges()) {
            out.append("    ").append(e.from()).append(" --> ").append(e.to()).append('\n');
        }
        if (graph.withStates()) {
            for (MigrationState s : STATES) {
                String[] c = COLOURS.get(s);
                out.append("    classDef ").append(s.label()).append(" fill:").append(c[0]).append(",stroke:")
                        .append(c[1]).append(",color:").append(c[2])
                        .append(s == MigrationState.PENDING ? ",stroke-width:3px" : "")
                        .append(s == MigrationState.UNKNOWN ? ",stroke-dasharray: 5 5" : "").append('\n');
            }
        }
        return out.toString();
    }

    /** Graphviz DOT text: a {@code digraph} with one statement per node, then per edge (Graphviz docs, "The DOT Language"). */
    public static String dot(MigrationGraph graph) {
        StringBuilder out = new StringBuilder("digraph migrations {\n");
        out.append("    rankdir=TB;\n");
        out.append("    node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fillcolor=\"#ffffff\", color=\"#374151\"];\n");
        for (MigrationGraph.Node n : graph.nodes()) {
            out.append("    ").append(n.id()).append(" [label=\"").append(dotLabel(n.lines())).append('"');
            n.state().ifPresent(s -> out.append(dotStyle(s)));
            out.append("];\n");
        }
        for (MigrationGraph.Edge e : graph.edges()) {
            out.append("    ").append(e.from()).append(" -> ").append(e.to()).append(";\n");
        }
        return out.append("}\n").toString();
    }

    private static String dotStyle(MigrationState s) {
        String[] c = COLOURS.get(s);
        return ", class=\"" + s.label() + "\", fillcolor=\"" + c[0] + "\", color=\"" + c[1] + "\", fontcolor=\"" + c[2] + "\""
                + (s == MigrationState.PENDING ? ", penwidth=3" : "")
                + (s == MigrationState.UNKNOWN ? ", style=\"rounded,filled,dashed\"" : "");
    }

    private static String mermaidLabel(List<String> lines) {
        // Inside a quoted Mermaid label a double quote ends the label and < > start HTML;
        // Mermaid's entity codes (#quot; #lt; #gt;) show them as text.
        return String.join("<br/>", lines.stream().map(l -> l.replace("#", "#35;").replace("\"", "#quot;")
                .replace("<", "#lt;").replace(">", "#gt;")).toList());
    }

    private static String dotLabel(List<String> lines) {
        return String.join("\\n", lines.stream().map(l -> l.replace("\\", "\\\\").replace("\"", "\\\"")).toList());
    }
}
