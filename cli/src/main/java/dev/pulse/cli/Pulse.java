package dev.pulse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pulse} command. {@code local}, {@code get}, {@code describe} and {@code plan} (without
 * {@code --against}) run the local module ({@link StackCommands}); the {@code pulse} script gives
 * them its classpath. {@code replay} needs this module's optional pipeline dependency (Flink), which
 * the slim jar (cli-slim/) leaves out: there the same tree runs validate, compile and plan.
 */
@Command(name = "pulse", mixinStandardHelpOptions = true, version = "pulse 0.1.0",
        description = "Pulse: product-analytics definitions as streaming pipelines.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:invalid input (definitions, events)", "2:usage error (unknown option, missing file)", "3:internal error"},
        subcommands = {ValidateCommand.class, CompileCommand.class, PlanCommand.class, ReplayCommand.class, LocalCommand.class, GetCommand.class,
                DescribeCommand.class, TokenCommand.class, CommandLine.HelpCommand.class})
public final class Pulse implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Exit code of a command whose input is invalid (definitions, events). */
    public static final int INVALID = 1;
    /** Exit code of a command line that is wrong (unknown option, missing file). */
    public static final int USAGE = CommandLine.ExitCode.USAGE;
    /** Exit code of a command that failed inside (a bug, or an environment it cannot run in). */
    public static final int INTERNAL = 3;

    /**
     * Runs the command line and returns its exit code. A class missing from the classpath (a jar
     * built without it) is an internal error too, not a crash that exits 1 as if the input were invalid.
     */
    public static int run(String... args) {
        CommandLine cmd = commandLine();
        try {
            return cmd.execute(args);
        } catch (LinkageError e) {
            cmd.getErr().println("pulse: internal error: " + e);
            cmd.getErr().flush();
            return INTERNAL;
        }
    }

    /** The command line with Pulse's exit codes: 0 done, 1 invalid input, 2 usage, 3 internal error. */
    public static CommandLine commandLine() {
        return new CommandLine(new Pulse()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("pulse " + cmd.getCommandName() + ": internal error: " + e);
            cmd.getErr().flush();
            return INTERNAL;
        });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
