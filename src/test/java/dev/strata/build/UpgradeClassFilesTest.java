package dev.strata.build;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceClassVisitor;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build step {@code src/build/UpgradeClassFiles.java}, run as the build runs it (a source file
 * launched by {@code java} with ASM on the class path), on a copy of the picocli jar of the test class
 * path: every class ends up at class file version 52, its methods hold the same instructions, and the
 * JVM's split verifier (mandatory from version 51: no fall-back to the old verifier) accepts all of them.
 * Tier 1: no database.
 */
@Tag("unit")
class UpgradeClassFilesTest {

    private static Map<String, byte[]> original;

    @BeforeAll
    static void readPicocli() throws IOException, URISyntaxException {
        original = classes(picocliJar(), "/picocli/");
    }

    @Test
    void picocliIsStillJava5BytecodeSoTheStepIsNeeded() {
        assertThat(original).hasSizeGreaterThan(100);
        assertThat(original.values()).allSatisfy(bytes -> assertThat(major(bytes)).isEqualTo(49));
    }

    @Test
    void retargetsEveryClassToJava8WithTheSameInstructions(@TempDir Path dir) throws Exception {
        Path jar = copyOfPicocli(dir);
        Run run = upgrade(jar, "picocli/");
        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains(original.size() + " class files re-targeted to Java 8");

        Map<String, byte[]> upgraded = classes(jar, "/picocli/");
        assertThat(upgraded.keySet()).isEqualTo(original.keySet());
        for (Map.Entry<String, byte[]> entry : upgraded.entrySet()) {
            assertThat(major(entry.getValue())).as(entry.getKey()).isEqualTo(52);
            assertThat(code(entry.getValue())).as(entry.getKey()).isEqualTo(code(original.get(entry.getKey())));
        }
        // The other entries of the jar are kept as they were.
        assertThat(resources(jar)).isEqualTo(resources(picocliJar()));
    }

    @Test
    void theSplitVerifierAcceptsEveryUpgradedClass(@TempDir Path dir) throws Exception {
        Path jar = copyOfPicocli(dir);
        assertThat(upgrade(jar, "picocli/").exit).isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            for (String file : original.keySet()) {
                String name = file.substring(1, file.length() - ".class".length()).replace('/', '.');
                // initialising links the class, which verifies it (a VerifyError fails the test)
                Class<?> type = Class.forName(name, true, loader);
                assertThat(type.getClassLoader()).isSameAs(loader);
            }
        }
    }

    @Test
    void aSecondRunChangesNothing(@TempDir Path dir) throws Exception {
        Path jar = copyOfPicocli(dir);
        assertThat(upgrade(jar, "picocli/").exit).isZero();
        Map<String, byte[]> once = classes(jar, "/picocli/");
        Run again = upgrade(jar, "picocli/");
        assertThat(again.exit).isZero();
        assertThat(again.output).contains(": 0 class files re-targeted");
        Map<String, byte[]> twice = classes(jar, "/picocli/");
        assertThat(twice.keySet()).isEqualTo(once.keySet());
        twice.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(once.get(name)));
    }

    @Test
    void aPackageTheJarLacksFailsTheBuild(@TempDir Path dir) throws Exception {
        Path jar = copyOfPicocli(dir);
        Run run = upgrade(jar, "no/such/package/");
        assertThat(run.exit).isNotZero();
        assertThat(run.output).contains("has no no/such/package/");
    }

    // --- helpers ------------------------------------------------------------------------------

    private record Run(int exit, String output) {
    }

    /** Runs the build step as pom.xml does: {@code java -cp ASM src/build/UpgradeClassFiles.java JAR PACKAGE}. */
    private static Run upgrade(Path jar, String pkg) throws Exception {
        Path asm = Path.of(ClassReader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", asm.toString(),
                projectRoot().resolve("src/build/UpgradeClassFiles.java").toString(), jar.toString(), pkg)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the build step finished").isTrue();
        return new Run(process.exitValue(), output);
    }

    private static Path copyOfPicocli(Path dir) throws IOException, URISyntaxException {
        Path jar = dir.resolve("picocli.jar");
        Files.copy(picocliJar(), jar);
        return jar;
    }

    private static Path picocliJar() throws URISyntaxException {
        return Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("src/build/UpgradeClassFiles.java"))) {
            dir = dir.getParent();
            assertThat(dir).as("the project root (with src/build/UpgradeClassFiles.java)").isNotNull();
        }
        return dir;
    }

    private static int major(byte[] classFile) {
        return ((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF);
    }

    /**
     * The class as ASM prints it without stack map frames, class file version and max stack/locals
     * (what the step changes or recomputes): fields, methods, instructions, constants and attributes.
     */
    private static String code(byte[] classFile) {
        StringWriter text = new StringWriter();
        new ClassReader(classFile).accept(new TraceClassVisitor(null, new Textifier(), new PrintWriter(text)),
                ClassReader.SKIP_FRAMES);
        return text.toString().lines()
                .filter(line -> !line.startsWith("// class version"))
                .filter(line -> !line.strip().startsWith("MAXSTACK") && !line.strip().startsWith("MAXLOCALS"))
                .collect(Collectors.joining("\n"));
    }

    private static Map<String, byte[]> classes(Path jar, String under) throws IOException {
        Map<String, byte[]> classes = new TreeMap<>();
        try (FileSystem zip = FileSystems.newFileSystem(jar); Stream<Path> files = Files.walk(zip.getPath(under))) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                classes.put(file.toString(), Files.readAllBytes(file));
            }
        }
        return classes;
    }

    /** Every entry that is not a class file, with its bytes as text (for a readable difference). */
    private static Map<String, String> resources(Path jar) throws IOException {
        Map<String, String> resources = new TreeMap<>();
        try (FileSystem zip = FileSystems.newFileSystem(jar); Stream<Path> files = Files.walk(zip.getPath("/"))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().endsWith(".class"))::iterator) {
                resources.put(file.toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(file)));
            }
        }
        return resources;
    }
}
