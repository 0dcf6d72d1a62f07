package dev.strata.cli;

import dev.strata.report.ExitCodes;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code strata} command: forward-only PostgreSQL migrations.
 *
 * <p>Its subcommands are not listed in {@code @Command(subcommands = …)}: picocli would build the
 * reflective model of all of them (options, mixins, help texts) at every start, about 80 ms of a
 * ~0.6 s run. {@link CommandLineProducer} adds only the one named on the command line, or all of
 * them when none is (top-level help, a misspelt name that needs "did you mean").
 */
@TopCommand
@Command(name = "strata", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Forward-only PostgreSQL migrations: numbered SQL files, each with a verify step, "
                + "applied in dependency order, one transaction each.",
        footer = {"", "Exit codes: 0 ok, 1 migration or verify failed, 2 usage/configuration/connection, "
                + "3 pending (status --exit-code), 4 lock timeout, 5 safety violation."})
public class StrataCommand implements java.util.concurrent.Callable<Integer> {

    /**
     * Every subcommand by its {@code @Command} name, in the order {@code strata --help} lists them
     * (a test checks each name against its class's annotation).
     */
    public static final Map<String, Class<?>> SUBCOMMANDS = subcommands(ApplyAllCommand.class, "apply-all",
            ApplyCommand.class, "apply", ListCommand.class, "list", InfoCommand.class, "info",
            StatusCommand.class, "status", ScanCommand.class, "scan", ValidateCommand.class, "validate",
            RepairCommand.class, "repair", BaselineCommand.class, "baseline", HealthCommand.class, "health",
            ServeCommand.class, "serve", CreateCommand.class, "create", DbCommand.class, "db",
            TestCommand.class, "test", GraphCommand.class, "graph");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** {@code --verbose}, before or after the subcommand: errors are followed by their stack traces. */
    @picocli.CommandLine.Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "After an error's one-line message, print its stack trace (for bug reports).")
    boolean verbose;

    /** Without a subcommand: print the usage to stderr and exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }

    /**
     * The subcommands to register for a command line: only the one {@code args[0]} names, none for
     * a lone {@code --version}/{@code -V}, or all of them when {@code args[0]} is missing, another
     * option or an unknown word.
     */
    public static List<Class<?>> subcommandsFor(String[] args) {
        if (args == null || args.length == 0) {
            return List.copyOf(SUBCOMMANDS.values());
        }
        if (args.length == 1 && ("--version".equals(args[0]) || "-V".equals(args[0]))) {
            return List.of();
        }
        Class<?> named = SUBCOMMANDS.get(args[0]);
        return named != null ? List.of(named) : List.copyOf(SUBCOMMANDS.values());
    }

    private static Map<String, Class<?>> subcommands(Object... classAndName) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (int i = 0; i < classAndName.length; i += 2) {
            byName.put((String) classAndName[i + 1], (Class<?>) classAndName[i]);
        }
        return java.util.Collections.unmodifiableMap(byName);
    }
}
