package dev.strata.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code @Command} class in Strata's build (the classes directory or the jar that holds
 * {@link StrataCommand}) is reachable: registered in {@link StrataCommand#SUBCOMMANDS} or listed as
 * another command's {@code subcommands}. Subcommands are registered by hand (see
 * {@link StrataCommand}), so a new command class could otherwise be built and never run.
 */
@Tag("unit")
class CommandRegistrationTest {

    private static final DotName COMMAND = DotName.createSimple(Command.class.getName());
    private static final DotName TOP = DotName.createSimple(TopCommand.class.getName());

    @Test
    void everyCommandClassIsRegistered() throws Exception {
        Index index = indexOfTheBuild();
        Set<String> commands = new TreeSet<>();
        Set<String> registered = new TreeSet<>();
        StrataCommand.SUBCOMMANDS.values().forEach(type -> registered.add(type.getName()));
        for (AnnotationInstance command : index.getAnnotations(COMMAND)) {
            String owner = command.target().asClass().name().toString();
            if (command.target().asClass().declaredAnnotation(TOP) == null) {
                commands.add(owner);
            }
            AnnotationValue subcommands = command.value("subcommands");
            if (subcommands != null) {
                Stream.of(subcommands.asClassArray()).forEach(t -> registered.add(t.name().toString()));
            }
        }

        assertThat(commands).as("@Command classes found").contains(TestCommand.class.getName(), DbCommand.Start.class.getName());
        assertThat(commands).as("@Command classes that no command registers").isSubsetOf(registered);
    }

    /** A Jandex index of every class in the directory or jar that StrataCommand was loaded from. */
    private static Index indexOfTheBuild() throws Exception {
        Path location = Path.of(StrataCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Indexer indexer = new Indexer();
        if (Files.isDirectory(location)) {
            indexClasses(location, indexer);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + location.toUri()), Map.of())) {
                indexClasses(jar.getPath("/"), indexer);
            }
        }
        return indexer.complete();
    }

    private static void indexClasses(Path root, Indexer indexer) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        }
    }
}
