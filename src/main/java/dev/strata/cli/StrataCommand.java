package dev.strata.cli;

import dev.strata.report.ExitCodes;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code strata} command: forward-only PostgreSQL migrations.
 *
 * <p>Its subcommands are not listed in {@code @Command(subcommands = …)}: picocli would build the
 * reflective model of all of them (options, mixins, help texts) at every start, about 80 ms of a
 * ~0.6 s run. {@link CommandLineProducer} adds only the one named on the command line, or all of
 * them when none is (top-level help, a misspelt name that needs "did you mean"). Its own model is
 * built by hand ({@link #handBuiltSpec}), not by reflection over the annotations below.
 */
@TopCommand
@Command(name = "strata", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = StrataCommand.DESCRIPTION, footer = {"", StrataCommand.EXIT_CODES})
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

    static final String DESCRIPTION = "Forward-only PostgreSQL migrations: numbered SQL files, each with a "
            + "verify step, applied in dependency order, one transaction each.";
    static final String EXIT_CODES = "Exit codes: 0 ok, 1 migration or verify failed, 2 usage/configuration/connection, "
            + "3 pending (status --exit-code), 4 lock timeout, 5 safety violation.";
    static final String VERBOSE = "After an error's one-line message, print its stack trace (for bug reports).";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** {@code --verbose}, before or after the subcommand: errors are followed by their stack traces. */
    @picocli.CommandLine.Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = VERBOSE)
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

    /**
     * This command's picocli model, built by hand, which is what Strata runs: the same name, options,
     * description, footer and version as the {@code @Command} and {@code @Option} annotations above
     * (StrataCommandSpecTest compares the two models and their usage text; the annotations stay for
     * Quarkus, which finds the top command by them, and as that reference). It spares picocli's
     * reflection over this class and the first parsing of annotations in the process: about 10 % of the
     * CPU time of {@code strata --version} and 3-4 % of a no-op {@code apply-all} (paired runs, Java 17
     * and 25, docs/benchmark.md). Also sets the {@code @Spec} field, as picocli would.
     *
     * @param factory the factory that creates the subcommands (Quarkus's: CDI beans)
     * @return the model of {@code strata}, without subcommands
     */
    CommandSpec handBuiltSpec(CommandLine.IFactory factory) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(this, factory).name("strata")
                .versionProvider(new VersionProvider());
        spec.usageMessage().description(DESCRIPTION).footer("", EXIT_CODES);
        // picocli's mixinStandardHelpOptions, written out (its AutoHelpMixin is read by reflection)
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).arity("0").type(boolean.class)
                .paramLabel("<helpRequested>").description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).arity("0").type(boolean.class)
                .paramLabel("<versionRequested>").description("Print version information and exit.").build());
        spec.addOption(OptionSpec.builder("--verbose").arity("0").type(boolean.class).paramLabel("<verbose>")
                .scopeType(CommandLine.ScopeType.INHERIT).description(VERBOSE)
                .setter(new CommandLine.Model.ISetter() {
                    @Override
                    public <T> T set(T value) {
                        verbose = Boolean.TRUE.equals(value);
                        return null;
                    }
                }).build());
        this.spec = spec;
        return spec;
    }

    private static Map<String, Class<?>> subcommands(Object... classAndName) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (int i = 0; i < classAndName.length; i += 2) {
            byName.put((String) classAndName[i + 1], (Class<?>) classAndName[i]);
        }
        return java.util.Collections.unmodifiableMap(byName);
    }
}
