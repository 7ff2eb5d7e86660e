package dev.pulse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pulse get}: the running local stack's resources, like kubectl get. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Lists resources of the running local stack (pulse local), like kubectl get: READY, REASON, LAG, FRESHNESS, AGE "
                + "(for KafkaTopics and FlinkDeployments what Strimzi and the Flink operator report).",
                "KIND: eventstreams|es, metrics|mt, funnels|fn, retentions|rt, kafkatopics|kt, flinkdeployments|flinkdep "
                        + "(default: the four Pulse kinds)."})
final class GetCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", description = "What to list (default: the four Pulse kinds).")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "One resource of that kind.")
    String name;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", defaultValue = "default",
            description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace.")
    boolean allNamespaces;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        StackCommands.Get request = new StackCommands.Get(kind, name, namespace, allNamespaces);
        return StackCommands.run(cmd, stack -> stack.get(request, cmd.getOut(), cmd.getErr()));
    }
}
