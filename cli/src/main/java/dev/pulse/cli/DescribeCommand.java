package dev.pulse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pulse describe}: one resource of the running local stack, like kubectl describe. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = {"Shows one resource of the running local stack (pulse local), like kubectl describe: the spec, conditions, "
                + "pipeline, lag, freshness, drift, anomalies, and recent Events.",
                "KIND: eventstream|es, metric|mt, funnel|fn, retention|rt, kafkatopic|kt, flinkdeployment|flinkdep."})
final class DescribeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "KIND", description = "The kind, or KIND/NAME.")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The resource's name.")
    String name;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", defaultValue = "default",
            description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        String k = kind;
        String n = name;
        if (n == null && k.contains("/")) {
            n = k.substring(k.indexOf('/') + 1);
            k = k.substring(0, k.indexOf('/'));
        }
        if (n == null) {
            throw new CommandLine.ParameterException(cmd, "describe needs KIND NAME (or KIND/NAME)");
        }
        StackCommands.Describe request = new StackCommands.Describe(k, n, namespace);
        return StackCommands.run(cmd, stack -> stack.describe(request, cmd.getOut(), cmd.getErr()));
    }
}
