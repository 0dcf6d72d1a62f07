package dev.strata.cli;

import dev.strata.report.ExitCodes;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import io.quarkus.runtime.annotations.CommandLineArguments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/**
 * Configures picocli: the subcommand named on the command line (see {@link StrataCommand#subcommandsFor}),
 * our exception handler, usage errors with exit code 2.
 */
@ApplicationScoped
public class CommandLineProducer {

    /** The command line Quarkus runs. */
    @Produces
    CommandLine commandLine(@TopCommand StrataCommand top, CommandLine.IFactory factory,
            @CommandLineArguments String[] args) {
        // not PicocliCommandLineFactory.create(): picocli would build the top command's model by reflection
        CommandLine commandLine = new CommandLine(top.handBuiltSpec(factory), factory);
        for (Class<?> subcommand : StrataCommand.subcommandsFor(args)) {
            commandLine.addSubcommand(subcommand);
        }
        // after addSubcommand: picocli copies these settings to the subcommands present when called
        return commandLine
                .setExecutionExceptionHandler(new ErrorHandler())
                .setParameterExceptionHandler((ex, rejected) -> {
                    CommandLine cmd = ex.getCommandLine();
                    cmd.getErr().println("strata: " + ex.getMessage());
                    CommandLine.UnmatchedArgumentException.printSuggestions(ex, cmd.getErr()); // "Did you mean: apply-all?"
                    cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
                    return ExitCodes.USAGE;
                });
    }
}
