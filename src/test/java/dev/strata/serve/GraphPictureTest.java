package dev.strata.serve;

import dev.strata.engine.Graphviz;
import dev.strata.engine.MigrationGraph;
import dev.strata.engine.MigrationState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page's graph without Graphviz (Strata's own layered SVG) and with it: one
 * {@code <g class="node STATE">} per node, escaped labels, rows by dependency depth.
 */
@Tag("unit")
class GraphPictureTest {

    /** 3 depends on 1 and 2; 2 depends on 1; 9 is an unknown history row with a hostile name. */
    private static final MigrationGraph GRAPH = new MigrationGraph(List.of(
            new MigrationGraph.Node("m1", List.of("001_a", "applied"), Optional.of(MigrationState.APPLIED), 0),
            new MigrationGraph.Node("m2", List.of("002_b", "pending · next 1 of 2"), Optional.of(MigrationState.PENDING), 1),
            new MigrationGraph.Node("m3", List.of("003_c & d", "pending · next 2 of 2"), Optional.of(MigrationState.PENDING), 2),
            new MigrationGraph.Node("u9_1", List.of("009_<script>alert(1)</script>", "unknown: not in the catalog"),
                    Optional.of(MigrationState.UNKNOWN), 0)),
            List.of(new MigrationGraph.Edge("m1", "m2"), new MigrationGraph.Edge("m1", "m3"),
                    new MigrationGraph.Edge("m2", "m3")), true);

    @Test
    void withoutGraphvizTheFallbackDrawsEveryNodeWithItsStateAndEscapedText(@TempDir Path emptyPath) {
        assertThat(Graphviz.find(emptyPath.toString())).isEmpty();
        GraphPicture.Picture picture = new GraphPicture().draw(GRAPH, emptyPath.toString());
        assertThat(picture.drawnBy()).isEqualTo("strata");
        String svg = picture.svg();
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
        assertThat(svg).contains("<g class=\"node applied\"><title>m1</title>")
                .contains("<g class=\"node pending\"><title>m2</title>")
                .contains("<g class=\"node pending\"><title>m3</title>")
                .contains("<g class=\"node unknown\"><title>u9_1</title>");
        assertThat(svg).doesNotContain("<script").contains("009_&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("003_c &amp; d");
        assertThat(count(svg, "<g class=\"edge\">")).isEqualTo(3);
    }

    @Test
    void aNodeSitsOneRowBelowItsDeepestDependency() {
        String svg = GraphPicture.layered(GRAPH);
        int y1 = rectY(svg, "m1");
        int y2 = rectY(svg, "m2");
        int y3 = rectY(svg, "m3");
        assertThat(y2).isGreaterThan(y1);
        assertThat(y3).as("003 depends on 002, which depends on 001").isGreaterThan(y2);
        assertThat(rectY(svg, "u9_1")).as("no dependencies: top row").isEqualTo(y1);
    }

    @Test
    void aWideLevelWrapsSoTheDrawingStaysReadable() {
        List<MigrationGraph.Node> nodes = new java.util.ArrayList<>();
        for (int i = 1; i <= 13; i++) {
            nodes.add(new MigrationGraph.Node("m" + i, List.of(i + "_x"), Optional.empty(), 0));
        }
        String svg = GraphPicture.layered(new MigrationGraph(nodes, List.of(), false));
        assertThat(rectY(svg, "m6")).isEqualTo(rectY(svg, "m1"));
        assertThat(rectY(svg, "m7")).isGreaterThan(rectY(svg, "m6"));
        assertThat(rectY(svg, "m13")).isGreaterThan(rectY(svg, "m12"));
        Matcher width = Pattern.compile("<svg [^>]*width=\"(\\d+)\"").matcher(svg);
        assertThat(width.find()).isTrue();
        assertThat(Integer.parseInt(width.group(1))).isLessThan(1700);
    }

    @Test
    void withGraphvizTheSvgIsDotsWithoutItsPrologue() {
        String path = System.getenv("PATH");
        if (Graphviz.find(path).isEmpty()) {
            // .ci/run installs Graphviz; locally the fallback is tested above.
            assertThat(System.getenv("CI")).as("Graphviz's dot must be installed under CI=true").isNotEqualTo("true");
            return;
        }
        GraphPicture pictures = new GraphPicture();
        GraphPicture.Picture picture = pictures.draw(GRAPH, path);
        assertThat(picture.drawnBy()).isEqualTo("graphviz");
        assertThat(picture.svg()).startsWith("<svg").doesNotContain("<?xml").doesNotContain("<!DOCTYPE")
                .doesNotContain("<script").contains("009_&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("class=\"node unknown\"");
        assertThat(pictures.draw(GRAPH, path)).as("reused while the graph is unchanged").isSameAs(picture);
    }

    private static int rectY(String svg, String id) {
        Matcher m = Pattern.compile("<title>" + id + "</title><rect x=\"\\d+\" y=\"(\\d+)\"").matcher(svg);
        assertThat(m.find()).as(id).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
