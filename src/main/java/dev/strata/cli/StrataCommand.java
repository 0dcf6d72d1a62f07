package dev.strata.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The {@code strata} command: forward-only PostgreSQL migrations. */
@TopCommand
@Command(name = "strata", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Forward-only PostgreSQL migrations: numbered SQL files, each with a verify step, "
                + "applied in dependency order, one transaction each.",
        subcommands = {ApplyAllCommand.class, ApplyCommand.class, ListCommand.class, InfoCommand.class, StatusCommand.class,
                ScanCommand.class, ValidateCommand.class, RepairCommand.class, BaselineCommand.class,
                HealthCommand.class, ServeCommand.class, CreateCommand.class, DbCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 migration or verify failed, 2 usage/configuration/connection, "
                + "3 pending (status --exit-code), 4 lock timeout, 5 safety violation."})
public class StrataCommand implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: print the usage to stderr and exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }
}
