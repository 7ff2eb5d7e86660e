package dev.pulse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pulse} command. {@code local}, {@code get}, {@code describe} and {@code plan} (without
 * {@code --against}) run the local module ({@link StackCommands}); the {@code pulse} script gives
 * them its classpath.
 */
@Command(name = "pulse", mixinStandardHelpOptions = true, version = "pulse 0.1.0",
        description = "Pulse: product-analytics definitions as streaming pipelines.",
        subcommands = {ValidateCommand.class, CompileCommand.class, PlanCommand.class, ReplayCommand.class, LocalCommand.class, GetCommand.class,
                DescribeCommand.class, TokenCommand.class, CommandLine.HelpCommand.class})
public final class Pulse implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return new CommandLine(new Pulse()).execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
