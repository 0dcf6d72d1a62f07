package dev.strata.cli;

import dev.strata.engine.Graphviz;
import org.junit.jupiter.api.Tag;
import dev.strata.db.ConfigException;
import dev.strata.report.ErrorReport;
import dev.strata.report.ExitCodes;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code strata graph} as a reviewer uses it: Mermaid and DOT parsed line by line (nodes, their
 * order, edges, state classes), states read from a real database, {@code --focus}, ranges for large
 * folders, and the SVG and DOT checked by Graphviz itself.
 */
@Tag("cli")
@QuarkusMainTest
class GraphCommandTest {

    private static final Pattern MERMAID_NODE = Pattern.compile("^ {4}([A-Za-z][A-Za-z0-9_]*)\\[\"([^\"]*)\"](?::::([a-z]+))?$");
    private static final Pattern MERMAID_EDGE = Pattern.compile("^ {4}([A-Za-z][A-Za-z0-9_]*) --> ([A-Za-z][A-Za-z0-9_]*)$");
    private static final Pattern MERMAID_CLASSDEF = Pattern.compile("^ {4}classDef ([a-z]+) (\\S.*)$");

    @TempDir
    Path dir;

    /** Dependency order differs from number order: plan order is 002, 003, 001, 004, 005. */
    private void writeFolder() {
        write(dir, "001_orders.sql", "-- Dependencies: 3\nCREATE TABLE orders (id int, customer int);\n");
        write(dir, "002_notes.sql", "CREATE TABLE notes (id int);\n");
        write(dir, "003_customers.sql", "CREATE TABLE customers (id int);\n");
        write(dir, "004_order_lines.sql", "-- Dependencies: 1\nCREATE TABLE order_lines (id int);\n");
        write(dir, "005_audit.sql", "CREATE TABLE audit (id int);\n");
    }

    /** A parsed Mermaid flowchart: nodes in order (id → label), their classes, edges, classDefs. */
    record Mermaid(Map<String, String> labels, Map<String, String> classes, List<String> edges,
                   Map<String, String> classDefs) {
        static Mermaid parse(String text) {
            List<String> lines = text.lines().toList();
            assertThat(lines.get(0)).isEqualTo("flowchart TD");
            Mermaid m = new Mermaid(new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>(), new LinkedHashMap<>());
            for (String line : lines.subList(1, lines.size())) {
                Matcher node = MERMAID_NODE.matcher(line);
                Matcher edge = MERMAID_EDGE.matcher(line);
                Matcher classDef = MERMAID_CLASSDEF.matcher(line);
                if (node.matches()) {
                    m.labels.put(node.group(1), node.group(2));
                    if (node.group(3) != null) {
                        m.classes.put(node.group(1), node.group(3));
                    }
                } else if (edge.matches()) {
                    m.edges.add(edge.group(1) + "->" + edge.group(2));
                } else if (classDef.matches()) {
                    m.classDefs.put(classDef.group(1), classDef.group(2));
                } else {
                    throw new AssertionError("not a Mermaid node, edge or classDef line: " + line);
                }
            }
            assertThat(m.edges).allSatisfy(e -> assertThat(m.labels).containsKeys(e.split("->")));
            return m;
        }
    }

    @Test
    void offlineMermaidFollowsPlanOrderWithExactlyTheDependencyEdges(QuarkusMainLauncher launcher) {
        writeFolder();
        LaunchResult result = launcher.launch("graph", "--offline", "--location", dir.toString());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        Mermaid graph = Mermaid.parse(result.getOutput());
        assertThat(graph.labels()).containsExactly(Map.entry("m2", "002_notes"), Map.entry("m3", "003_customers"),
                Map.entry("m1", "001_orders"), Map.entry("m4", "004_order_lines"), Map.entry("m5", "005_audit"));
        assertThat(graph.edges()).containsExactlyInAnyOrder("m3->m1", "m1->m4");
        assertThat(graph.classes()).isEmpty();
        assertThat(graph.classDefs()).isEmpty();
    }

    @Test
    void statesComeFromTheDatabaseAndTheNextPlanIsNumbered(QuarkusMainLauncher launcher) {
        writeFolder();
        try (TestDatabase db = TestDatabase.create("graph")) {
            String[] target = {"--location", dir.toString(), "--url", db.url()};
            assertThat(launcher.launch(concat(new String[] {"apply", "1", "--with-dependencies"}, target)).exitCode()).isZero();
            assertThat(launcher.launch(concat(new String[] {"apply", "5"}, target)).exitCode()).isZero();
            // A non-transactional migration that stopped part-way leaves such a row; 005 stands in for one.
            db.query("UPDATE schema_migrations SET success = false WHERE migration_number = 5");
            write(dir, "003_customers.sql", "CREATE TABLE customers (id int, name text);\n");
            db.query("INSERT INTO schema_migrations (migration_name, migration_number, checksum) "
                    + "VALUES ('900_dropped_feature', 900, repeat('0', 64))");

            LaunchResult result = launcher.launch(concat(new String[] {"graph"}, target));
            assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
            Mermaid graph = Mermaid.parse(result.getOutput());
            assertThat(graph.labels().keySet()).containsExactly("m2", "m3", "m1", "m4", "m5", "u900_1");
            assertThat(graph.classes()).containsExactly(Map.entry("m2", "pending"), Map.entry("m3", "changed"),
                    Map.entry("m1", "applied"), Map.entry("m4", "pending"), Map.entry("m5", "failed"),
                    Map.entry("u900_1", "unknown"));
            assertThat(graph.labels().get("m2")).isEqualTo("002_notes<br/>pending · next 1 of 2");
            assertThat(graph.labels().get("m4")).isEqualTo("004_order_lines<br/>pending · next 2 of 2");
            assertThat(graph.labels().get("u900_1")).startsWith("900_dropped_feature<br/>");
            assertThat(graph.edges()).containsExactlyInAnyOrder("m3->m1", "m1->m4");
            assertThat(graph.classDefs()).containsKeys("applied", "pending", "changed", "failed", "unknown");
            assertThat(graph.classDefs().get("pending")).contains("stroke-width:3px");
            assertThat(result.getErrorOutput()).contains("6 nodes, 2 edges").doesNotContain(db.url());

            // Grouped, a range shows its counts per state and takes the colour of the most urgent one.
            Mermaid ranges = Mermaid.parse(launcher.launch(concat(new String[] {"graph", "--max-nodes", "2"}, target)).getOutput());
            assertThat(ranges.labels()).containsExactly(
                    Map.entry("g0_9", "000–009<br/>5 migrations, 1 failed, 1 changed, 2 pending, 1 applied"),
                    Map.entry("g900_909", "900–909<br/>1 migration, 1 unknown"));
            assertThat(ranges.classes()).containsExactly(Map.entry("g0_9", "failed"), Map.entry("g900_909", "unknown"));
            assertThat(ranges.edges()).isEmpty();
        }
    }

    @Test
    void focusKeepsOnlyAncestorsAndDescendants(QuarkusMainLauncher launcher) {
        writeFolder();
        LaunchResult result = launcher.launch("graph", "--offline", "--focus", "1", "--location", dir.toString());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        Mermaid graph = Mermaid.parse(result.getOutput());
        assertThat(graph.labels().keySet()).containsExactly("m3", "m1", "m4");
        assertThat(graph.edges()).containsExactlyInAnyOrder("m3->m1", "m1->m4");

        LaunchResult leaf = launcher.launch("graph", "--offline", "--focus", "4", "--location", dir.toString());
        assertThat(Mermaid.parse(leaf.getOutput()).labels().keySet()).containsExactly("m3", "m1", "m4");

        LaunchResult missing = launcher.launch("graph", "--offline", "--focus", "42", "--location", dir.toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.getErrorOutput()).contains("no migration 042").contains("strata list");
    }

    @Test
    void aThousandMigrationsAreDrawnAsRangesOfNumbers(QuarkusMainLauncher launcher) {
        for (int i = 1; i <= 1000; i++) {
            String deps = i > 100 && i % 50 == 0 ? "-- Dependencies: " + (i - 100) + "\n" : "";
            write(dir, String.format("%04d_step.sql", i), deps + "SELECT " + i + ";\n");
        }
        LaunchResult result = launcher.launch("graph", "--offline", "--location", dir.toString());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        Mermaid graph = Mermaid.parse(result.getOutput());
        // 1..1000 in ranges a hundred wide (ten wide would give 101 ranges, more than 40): 0000–0099 … 1000–1099.
        assertThat(graph.labels()).hasSize(11);
        assertThat(graph.labels().get("g0_99")).isEqualTo("000–099<br/>99 migrations");
        assertThat(graph.labels().get("g100_199")).isEqualTo("100–199<br/>100 migrations");
        assertThat(graph.labels().get("g1000_1099")).isEqualTo("1000–1099<br/>1 migration");
        // 150 depends on 050, 200 on 100, 250 on 150, …: one edge per pair of ranges, none inside a range.
        assertThat(graph.edges()).containsExactly("g0_99->g100_199", "g100_199->g200_299", "g200_299->g300_399",
                "g300_399->g400_499", "g400_499->g500_599", "g500_599->g600_699", "g600_699->g700_799",
                "g700_799->g800_899", "g800_899->g900_999", "g900_999->g1000_1099");

        LaunchResult focused = launcher.launch("graph", "--offline", "--focus", "500", "--location", dir.toString());
        assertThat(Mermaid.parse(focused.getOutput()).labels().keySet())
                .containsExactly("m100", "m200", "m300", "m400", "m500", "m600", "m700", "m800", "m900", "m1000");
    }

    @Test
    void dotOutputIsReadByGraphvizWithTheSameNodesAndEdges(QuarkusMainLauncher launcher) throws Exception {
        writeFolder();
        Path file = dir.resolve("graph.dot");
        LaunchResult result = launcher.launch("graph", "--offline", "--format", "dot", "--output", file.toString(),
                "--location", dir.toString());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).isEmpty();
        // "dot -Tplain" prints "node NAME …" and "edge TAIL HEAD …" lines for what it parsed.
        List<String> plain = run(dot(), "-Tplain", file.toString()).lines().toList();
        assertThat(plain.stream().filter(l -> l.startsWith("node ")).map(l -> l.split(" ")[1]))
                .containsExactlyInAnyOrder("m1", "m2", "m3", "m4", "m5");
        assertThat(plain.stream().filter(l -> l.startsWith("edge ")).map(l -> l.split(" ")[1] + "->" + l.split(" ")[2]))
                .containsExactlyInAnyOrder("m3->m1", "m1->m4");
    }

    @Test
    void svgIsDrawnByGraphvizWithOneGroupPerMigration(QuarkusMainLauncher launcher) {
        writeFolder();
        LaunchResult result = launcher.launch("graph", "--offline", "--format", "svg", "--location", dir.toString());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        String svg = result.getOutput();
        assertThat(svg).contains("<svg");
        Matcher titles = Pattern.compile("<g id=\"node\\d+\" class=\"node\">\\s*<title>([^<]+)</title>").matcher(svg);
        List<String> nodes = new ArrayList<>();
        while (titles.find()) {
            nodes.add(titles.group(1));
        }
        assertThat(nodes).containsExactlyInAnyOrder("m1", "m2", "m3", "m4", "m5");
        assertThat(svg).contains("&#45;&gt;").contains("<title>m3&#45;&gt;m1</title>").contains("<title>m1&#45;&gt;m4</title>");
    }

    @Test
    void svgWithoutGraphvizIsAUsageErrorNamingWhatToInstall() throws Exception {
        Path emptyPath = Files.createDirectories(dir.resolve("bin"));
        assertThat(Graphviz.find(emptyPath.toString())).isEmpty();
        assertThatThrownBy(() -> Graphviz.svg("digraph g {}", emptyPath.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("apt-get install graphviz").hasMessageContaining("--format mermaid");
        assertThat(ErrorReport.exitCodeOf(new ConfigException(Graphviz.MISSING))).isEqualTo(ExitCodes.USAGE);
    }

    private static String dot() {
        return Graphviz.find(System.getenv("PATH")).map(Path::toString).orElseThrow(() -> new AssertionError(
                "Graphviz's dot is not on the PATH; install it (apt-get install graphviz; .ci/run does)"));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
