package dev.pulse.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse local}: the whole system on this machine (local/). */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Runs the whole system on this machine: a Kafka broker, PostgreSQL, an in-memory Kubernetes API, the operator, "
                + "stand-ins for Strimzi and the Flink operator (pipelines as child processes), the serving API and dashboard, "
                + "shop traffic, and the definitions of a directory, watched.",
                "Prints where the dashboard, the Kubernetes API and Kafka listen, then one status line per analysis every 5 s. "
                        + "Ctrl-C stops everything; the data stays for the next run."})
final class LocalCommand implements Callable<Integer> {
    @Option(names = {"-f", "--filename"}, paramLabel = "DIR", description = "Definitions to apply and watch (default: samples/).")
    Path definitions;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "20",
            description = "Synthetic shop events per second, daily average (default: ${DEFAULT-VALUE}; 0: none).")
    double rate;

    @Option(names = "--reset", description = "Deletes the data of earlier runs (.pulse/) first; the build is kept.")
    boolean reset;

    @Option(names = "--events", split = ",", paramLabel = "[STREAM=]FILE",
            description = {"JSON Lines files of your own events, produced into the stream's topic before the pipelines start, "
                    + "so they are read as history (a backfill). STREAM names the EventStream; without it, the only one in the "
                    + "definitions (or shop-events). Use --rate 0 to send nothing else, and --reset so a second run does not load "
                    + "them twice. The served numbers equal pulse replay's for the same file, finality aside."})
    List<String> events;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where data and logs live (default: .pulse/).")
    Path dataDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (rate < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be 0 or more events per second");
        }
        return StackCommands.run(spec.commandLine(), stack -> stack.local(new StackCommands.Local(definitions, rate, reset, dataDir, events == null ? List.of() : events)));
    }
}
