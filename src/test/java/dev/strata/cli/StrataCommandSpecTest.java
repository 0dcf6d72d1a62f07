package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The top command's hand-built picocli model ({@link StrataCommand#handBuiltSpec}, what Strata runs)
 * equals the one picocli builds by reflection from {@link StrataCommand}'s annotations: the same options
 * with the same attributes, the same usage text with every subcommand listed, the same version, and
 * {@code --verbose} still reaches a subcommand. Tier 1: no database, no Quarkus.
 */
@Tag("unit")
class StrataCommandSpecTest {

    private static final CommandLine.IFactory FACTORY = CommandLine.defaultFactory();

    @Test
    void theOptionsAreThoseOfTheAnnotations() {
        CommandSpec reflected = new CommandLine(new StrataCommand(), FACTORY).getCommandSpec();
        CommandSpec handBuilt = new StrataCommand().handBuiltSpec(FACTORY);
        assertThat(handBuilt.name()).isEqualTo(reflected.name());
        assertThat(describe(handBuilt.options())).isEqualTo(describe(reflected.options()));
        assertThat(handBuilt.usageMessage().description()).isEqualTo(reflected.usageMessage().description());
        assertThat(handBuilt.usageMessage().footer()).isEqualTo(reflected.usageMessage().footer());
        assertThat(handBuilt.version()).isEqualTo(reflected.version()).isNotEmpty();
    }

    @Test
    void theUsageTextIsTheSameWithEverySubcommand() {
        CommandLine reflected = withSubcommands(new CommandLine(new StrataCommand(), FACTORY));
        CommandLine handBuilt = withSubcommands(new CommandLine(new StrataCommand().handBuiltSpec(FACTORY), FACTORY));
        assertThat(handBuilt.getUsageMessage(CommandLine.Help.Ansi.OFF))
                .isEqualTo(reflected.getUsageMessage(CommandLine.Help.Ansi.OFF))
                .contains("Usage: strata [-hV] [--verbose] [COMMAND]", "apply-all", "Exit codes: 0 ok");
    }

    @Test
    void versionHelpAndUsageHelpAndVerboseWork() {
        StrataCommand top = new StrataCommand();
        CommandLine commandLine = withSubcommands(new CommandLine(top.handBuiltSpec(FACTORY), FACTORY));
        StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        assertThat(commandLine.execute("--version")).isZero();
        assertThat(out.toString()).startsWith("strata ");

        assertThat(commandLine.parseArgs("--help").isUsageHelpRequested()).isTrue();
        CommandLine.ParseResult result = commandLine.parseArgs("status", "--verbose");
        assertThat(ErrorHandler.verbose(result)).isTrue();
        assertThat(ErrorHandler.verbose(commandLine.parseArgs("--verbose", "status"))).isTrue();
        assertThat(ErrorHandler.verbose(commandLine.parseArgs("status"))).isFalse();
        assertThat(top.spec).as("the @Spec field is set, as picocli sets it").isSameAs(commandLine.getCommandSpec());
    }

    private static CommandLine withSubcommands(CommandLine commandLine) {
        StrataCommand.SUBCOMMANDS.values().forEach(commandLine::addSubcommand);
        return commandLine;
    }

    /** Each option's attributes that picocli reads when parsing and when printing help. */
    private static List<String> describe(List<OptionSpec> options) {
        return options.stream().map(o -> String.join(" | ", String.join(",", o.names()), o.arity().toString(),
                        o.type().getName(), String.valueOf(o.usageHelp()), String.valueOf(o.versionHelp()),
                        String.valueOf(o.scopeType()), String.join("/", o.description()), String.valueOf(o.required()),
                        String.valueOf(o.hidden()), String.valueOf(o.negatable()), String.valueOf(o.defaultValue()),
                        String.valueOf(o.paramLabel()), String.valueOf(o.order())))
                .sorted().collect(Collectors.toList());
    }
}
