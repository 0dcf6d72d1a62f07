import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Build step: re-targets the class files of the packages named in a jar from Java 5 bytecode (class
 * file version 49) to Java 8 (52), in place, with stack map frames computed by ASM.
 *
 * <p>Why: picocli is compiled for Java 5. HotSpot cannot keep such "old" classes in a start-up archive
 * (an AppCDS archive on Java 17 skips them; the Java 25 AOT cache logs "Skipping picocli/...: Old class
 * has been linked"), so each of picocli's ~170 classes used at start was read from the jar, parsed and
 * verified by the old type-inferencing verifier on every run. With version 52 and stack map frames
 * they are archived, already verified and linked. Only the version and the frames change: every
 * instruction, constant and attribute is copied as ASM reads it (UpgradeClassFilesTest compares them
 * and verifies the result with the JVM's split verifier).
 *
 * <pre>java -cp asm.jar src/build/UpgradeClassFiles.java JAR PACKAGE/...</pre>
 *
 * JAR is rewritten in place (through the JDK's zip file system, which copies the other entries as they
 * are); PACKAGE is a directory of the jar such as {@code picocli/}. Prints one line with the number of
 * classes re-targeted; exits 1 on any error, such as a missing PACKAGE (the build fails).
 */
public final class UpgradeClassFiles {

    /** The class file version written: Java 8, the oldest with mandatory stack map frames. */
    static final int TARGET = Opcodes.V1_8;

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: UpgradeClassFiles JAR PACKAGE/ [PACKAGE/ ...]");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        int upgraded = 0;
        // The common super class of two types (for the frames) is found by loading them from the jar.
        try (URLClassLoader types = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            // Read every class first: the loader above reads the same jar, which changes on close below.
            Map<String, byte[]> newer = new TreeMap<>();
            try (FileSystem zip = FileSystems.newFileSystem(jar)) {
                for (int i = 1; i < args.length; i++) {
                    Path root = zip.getPath("/" + args[i]);
                    if (!Files.isDirectory(root)) {
                        throw new IOException(jar + " has no " + args[i] + "; nothing to re-target");
                    }
                    try (Stream<Path> files = Files.walk(root)) {
                        for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                            byte[] bytes = Files.readAllBytes(file);
                            byte[] upgradedBytes = upgrade(bytes, types);
                            if (upgradedBytes != bytes) {
                                newer.put(file.toString(), upgradedBytes);
                            }
                        }
                    }
                }
            }
            // Rewritten through the zip file system: the other entries are copied as they are.
            try (FileSystem zip = FileSystems.newFileSystem(jar)) {
                for (Map.Entry<String, byte[]> entry : newer.entrySet()) {
                    Path file = zip.getPath(entry.getKey());
                    FileTime time = Files.getLastModifiedTime(file);
                    Files.write(file, entry.getValue());
                    Files.setLastModifiedTime(file, time);
                    upgraded++;
                }
            }
        }
        System.out.println("UpgradeClassFiles: " + upgraded + " class files re-targeted to Java 8 in " + jar);
    }

    /** The class re-targeted to {@link #TARGET}, or the same array when it is already that new. */
    static byte[] upgrade(byte[] classFile, ClassLoader types) {
        ClassReader reader = new ClassReader(classFile);
        int major = reader.readUnsignedShort(6);
        if (major >= (TARGET & 0xFFFF)) {
            return classFile;
        }
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return types;
            }
        };
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                super.visit(TARGET, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }
}
