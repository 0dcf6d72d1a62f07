package dev.strata.deploy;

import org.junit.jupiter.api.Tag;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.strata.cli.StrataCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that {@code fly.toml}, the {@code Dockerfile} and {@code bin/strata} agree with each other and
 * with the command line: the release command is a real Strata subcommand, the service port is the one
 * the image exposes, the health check is the readiness endpoint, and the image puts the launcher on the
 * PATH next to the application it launches. Tier 1: no database, no Docker.
 */
@Tag("unit")
class FlyTomlTest {

    /** The PATH of the Debian/Ubuntu based eclipse-temurin images. */
    private static final List<String> IMAGE_PATH =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private static Path root;
    private static JsonNode fly;
    private static Dockerfile dockerfile;

    @BeforeAll
    static void load() throws IOException {
        root = projectRoot();
        fly = new TomlMapper().readTree(root.resolve("fly.toml").toFile());
        dockerfile = Dockerfile.parse(Files.readString(root.resolve(fly.path("build").path("dockerfile").asText("Dockerfile"))));
    }

    @Test
    void namesTheApp() {
        assertThat(fly.path("app").asText()).isNotBlank();
        assertThat(fly.path("primary_region").asText()).matches("[a-z]{3}");
    }

    @Test
    void buildsTheDockerfileOfThisRepository() {
        String name = fly.path("build").path("dockerfile").asText();
        assertThat(name).as("[build].dockerfile").isNotBlank();
        assertThat(root.resolve(name)).as("[build].dockerfile").isRegularFile();
    }

    @Test
    void releaseCommandIsStrataApplyAll() {
        List<String> words = List.of(fly.path("deploy").path("release_command").asText().trim().split("\\s+"));
        assertThat(words).as("release_command").hasSizeGreaterThanOrEqualTo(2);
        assertThat(words.get(0)).as("release_command runs the launcher on the PATH").isEqualTo("strata");
        assertThat(subcommandNames()).as("subcommands of strata").contains(words.get(1));
        assertThat(words.get(1)).isEqualTo("apply-all");
    }

    @Test
    void releaseCommandTimeoutCoversConnectAndLockTimeouts() {
        Duration timeout = goDuration(fly.path("deploy").path("release_command_timeout").asText("5m"));
        JsonNode env = fly.path("env");
        Duration waits = Duration.ofMillis(env.path("STRATA_CONNECT_TIMEOUT").asLong(15_000)
                + env.path("STRATA_LOCK_TIMEOUT").asLong(60_000));
        assertThat(timeout).as("release_command_timeout leaves time for the migrations").isGreaterThan(waits.multipliedBy(2));
    }

    @Test
    void envOnlySetsVariablesStrataReads() {
        Set<String> read = environmentVariablesReadByOptions();
        fly.path("env").fields().forEachRemaining(entry -> {
            assertThat(entry.getValue().isTextual()).as("[env] values are strings: " + entry.getKey()).isTrue();
            if (entry.getKey().startsWith("STRATA_")) {
                assertThat(read).as("options reading " + entry.getKey()).contains(entry.getKey());
                assertThat(entry.getValue().asText()).as(entry.getKey() + " in milliseconds").matches("[0-9]+");
            }
            assertThat(entry.getKey()).as("the database URL is a secret, not [env]")
                    .isNotIn("DATABASE_URL", "DIRECT_DATABASE_URL");
        });
    }

    @Test
    void httpServiceUsesThePortTheImageExposes() {
        int port = fly.path("http_service").path("internal_port").asInt(-1);
        assertThat(dockerfile.exposedPorts()).as("EXPOSE in the Dockerfile's final stage").containsExactly(port);
        assertThat(dockerfile.env().get("PORT")).as("ENV PORT in the Dockerfile's final stage").isEqualTo(String.valueOf(port));
        assertThat(fly.path("http_service").path("force_https").asBoolean()).isTrue();
    }

    @Test
    void healthCheckIsReadiness() {
        JsonNode checks = fly.path("http_service").path("checks");
        assertThat(checks.isArray()).as("[[http_service.checks]]").isTrue();
        assertThat(checks).hasSize(1);
        JsonNode check = checks.get(0);
        assertThat(check.path("path").asText()).isEqualTo("/q/health/ready");
        assertThat(check.path("method").asText("GET")).isEqualToIgnoringCase("GET");
        for (String key : List.of("interval", "timeout", "grace_period")) {
            assertThat(goDuration(check.path(key).asText())).as(key).isPositive();
        }
        assertThat(goDuration(check.path("timeout").asText())).isLessThan(goDuration(check.path("interval").asText()));
    }

    @Test
    void imagePutsTheLauncherOnThePathNextToTheApplication() {
        String launcher = dockerfile.copyDestination("bin/strata");
        assertThat(launcher).as("COPY bin/strata in the final stage").isNotNull();
        String onPath = IMAGE_PATH.stream().map(dir -> dir + "/strata")
                .filter(path -> path.equals(launcher) || launcher.equals(dockerfile.symlinks().get(path)))
                .findFirst().orElse(null);
        assertThat(onPath).as("strata on the PATH: " + launcher + " itself or a symlink to it, in one of " + IMAGE_PATH)
                .isNotNull();

        // bin/strata runs <its dir>/../lib/strata.jar: the image must put the application there.
        String home = parent(parent(launcher));
        assertThat(dockerfile.copyFromStage("/target/strata.jar")).as("COPY --from=… target/strata.jar")
                .isIn(home + "/lib/strata.jar", home + "/lib/");
        assertThat(dockerfile.user()).as("USER of the final stage").isNotBlank().isNotIn("root", "0");
        assertThat(dockerfile.cmd()).as("CMD runs the launcher").startsWith("strata");
    }

    @Test
    void launcherIsAnExecutableShellScriptForTheUberJar() throws IOException {
        Path launcher = root.resolve("bin/strata");
        assertThat(launcher).isRegularFile();
        assertThat(Files.isExecutable(launcher)).as("bin/strata is executable").isTrue();
        String text = Files.readString(launcher, StandardCharsets.UTF_8);
        assertThat(text).startsWith("#!/bin/sh\n").contains("$home/lib", "$home/target", "strata.jar", "exec ");
    }

    @Test
    void dockerignoreKeepsWhatTheBuildCopies() throws IOException {
        List<String> ignored = Files.readAllLines(root.resolve(".dockerignore")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(ignored).contains("target/", ".git");
        for (String needed : List.of("Dockerfile", "pom.xml", "mvnw", ".mvn", ".mvn/", "src", "src/", "bin", "bin/", "bin/strata")) {
            assertThat(ignored).as(".dockerignore must not exclude " + needed).doesNotContain(needed);
        }
    }

    // --- the command line, by reflection ---------------------------------------------------------

    /** Names and aliases of the subcommands in {@link StrataCommand#SUBCOMMANDS}. */
    static Set<String> subcommandNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Class<?> type : StrataCommand.SUBCOMMANDS.values()) {
            Command command = type.getAnnotation(Command.class);
            assertThat(command).as("@Command on " + type.getName()).isNotNull();
            names.add(command.name());
            names.addAll(List.of(command.aliases()));
        }
        return names;
    }

    /** Environment variables named in {@code ${env:NAME…}} defaults of the options of every command. */
    static Set<String> environmentVariablesReadByOptions() {
        Set<String> names = new LinkedHashSet<>();
        List<Class<?>> types = new ArrayList<>(List.of(StrataCommand.class));
        types.addAll(StrataCommand.SUBCOMMANDS.values());
        for (Class<?> type : types) {
            collectEnvDefaults(type, names);
        }
        return names;
    }

    private static void collectEnvDefaults(Class<?> type, Set<String> names) {
        Pattern env = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)");
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                Option option = field.getAnnotation(Option.class);
                if (option != null) {
                    Matcher m = env.matcher(option.defaultValue());
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
                if (field.isAnnotationPresent(Mixin.class)) {
                    collectEnvDefaults(field.getType(), names);
                }
            }
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("fly.toml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no directory with pom.xml and fly.toml above " + Path.of("").toAbsolutePath());
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** A Go duration as fly.toml writes them ("30s", "1m30s", "500ms", "2h"). */
    static Duration goDuration(String text) {
        Matcher m = Pattern.compile("([0-9]+)(ms|h|m|s)").matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
            end = m.end();
        }
        if (text.isEmpty() || end != text.length()) {
            throw new IllegalArgumentException("not a duration like 30s or 1m30s: '" + text + "'");
        }
        return total;
    }

    @Test
    void goDurations() {
        assertThat(goDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(goDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(goDuration("10m")).isEqualTo(Duration.ofMinutes(10));
    }

    /**
     * The instructions of a Dockerfile's final stage that this test needs. Not a full parser: line
     * continuations, comments, {@code KEY=value} and {@code KEY value} ENV forms, exec and shell form CMD.
     */
    record Dockerfile(List<String> instructions) {

        static Dockerfile parse(String text) {
            List<String> all = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                String stripped = line.strip();
                if (current.isEmpty() && (stripped.isEmpty() || stripped.startsWith("#"))) {
                    continue;
                }
                if (!current.isEmpty() && stripped.startsWith("#")) {
                    continue; // comment lines inside a continued instruction
                }
                if (stripped.endsWith("\\")) {
                    current.append(stripped, 0, stripped.length() - 1).append(' ');
                } else {
                    current.append(stripped);
                    all.add(current.toString());
                    current.setLength(0);
                }
            }
            int lastFrom = 0;
            for (int i = 0; i < all.size(); i++) {
                if (keyword(all.get(i)).equals("FROM")) {
                    lastFrom = i;
                }
            }
            return new Dockerfile(all.subList(lastFrom, all.size()));
        }

        private static String keyword(String instruction) {
            return instruction.split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
        }

        private List<String> args(String keyword) {
            return instructions.stream().filter(i -> keyword(i).equals(keyword))
                    .map(i -> i.split("\\s+", 2).length > 1 ? i.split("\\s+", 2)[1].strip() : "").toList();
        }

        List<Integer> exposedPorts() {
            List<Integer> ports = new ArrayList<>();
            for (String arg : args("EXPOSE")) {
                for (String port : arg.split("\\s+")) {
                    ports.add(Integer.parseInt(port.replaceAll("/(tcp|udp)$", "")));
                }
            }
            return ports;
        }

        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (String arg : args("ENV")) {
                if (arg.matches("[A-Za-z_][A-Za-z0-9_]*\\s+.*") && !arg.split("\\s+")[0].contains("=")) {
                    String[] kv = arg.split("\\s+", 2);
                    env.put(kv[0], unquote(kv[1]));
                } else {
                    for (String pair : arg.split("\\s+")) {
                        int eq = pair.indexOf('=');
                        env.put(pair.substring(0, eq), unquote(pair.substring(eq + 1)));
                    }
                }
            }
            return env;
        }

        /** Destination of {@code COPY <source> <dest>} (without --from) in the final stage. */
        String copyDestination(String source) {
            for (String arg : args("COPY")) {
                List<String> words = words(arg);
                if (words.size() == 2 && words.get(0).equals(source)) {
                    return words.get(1);
                }
            }
            return null;
        }

        /** Destination of the {@code COPY --from=…} whose source ends with {@code suffix} (slash optional). */
        String copyFromStage(String suffix) {
            for (String arg : args("COPY")) {
                List<String> words = new ArrayList<>(words(arg));
                boolean fromStage = words.removeIf(w -> w.startsWith("--from="));
                words.removeIf(w -> w.startsWith("--"));
                if (fromStage && words.size() == 2 && words.get(0).replaceAll("/$", "").endsWith(suffix)) {
                    return words.get(1);
                }
            }
            return null;
        }

        /** {@code ln -s TARGET LINK} in RUN instructions: link → target. */
        Map<String, String> symlinks() {
            Map<String, String> links = new LinkedHashMap<>();
            Matcher m = Pattern.compile("\\bln\\s+-s[f]*\\s+(\\S+)\\s+(\\S+)").matcher(String.join(" ; ", args("RUN")));
            while (m.find()) {
                links.put(m.group(2), m.group(1));
            }
            return links;
        }

        String user() {
            List<String> users = args("USER");
            return users.isEmpty() ? "root" : users.get(users.size() - 1);
        }

        /** The last CMD as one string: {@code ["strata", "serve"]} becomes {@code strata serve}. */
        String cmd() {
            List<String> cmds = args("CMD");
            if (cmds.isEmpty()) {
                return "";
            }
            String cmd = cmds.get(cmds.size() - 1);
            if (cmd.startsWith("[")) {
                List<String> parts = new ArrayList<>();
                Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(cmd);
                while (m.find()) {
                    parts.add(m.group(1));
                }
                return String.join(" ", parts);
            }
            return cmd;
        }

        private static List<String> words(String arg) {
            return List.of(arg.strip().split("\\s+"));
        }

        private static String unquote(String value) {
            return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                    ? value.substring(1, value.length() - 1) : value;
        }
    }
}
