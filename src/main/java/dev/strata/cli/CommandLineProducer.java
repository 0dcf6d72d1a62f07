package dev.strata.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/** Configures picocli: our exception handler, usage errors with exit code 2. */
@ApplicationScoped
public class CommandLineProducer {

    /** The command line Quarkus runs. */
    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return factory.create()
                .setExecutionExceptionHandler(new ErrorHandler())
                .setParameterExceptionHandler((ex, args) -> {
                    CommandLine cmd = ex.getCommandLine();
                    cmd.getErr().println("strata: " + ex.getMessage());
                    cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
                    return ExitCodes.USAGE;
                });
    }
}
