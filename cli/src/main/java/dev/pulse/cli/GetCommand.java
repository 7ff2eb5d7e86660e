package dev.pulse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pulse get}: the running local stack's resources, like kubectl get. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Lists resources of the running local stack (pulse local), like kubectl get: READY, REASON, LAG, FRESHNESS, AGE "
                + "(for KafkaTopics and FlinkDeployments what Strimzi and the Flink operator report).",
                "KIND: eventstreams|es, metrics|mt, funnels|fn, retentions|rt, kafkatopics|kt, flinkdeployments|flinkdep "
                        + "(default: the four Pulse kinds)."})
final class GetCommand implements Callable<Integer> {
    @Mixin
    ResourceArguments resource;

    @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace.")
    boolean allNamespaces;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        StackCommands.Get request = new StackCommands.Get(resource.kind(), resource.name(), resource.namespace, allNamespaces);
        return StackCommands.run(cmd, stack -> stack.get(request, cmd.getOut(), cmd.getErr()));
    }
}
