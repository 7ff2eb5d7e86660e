package dev.pulse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pulse describe}: one resource of the running local stack, like kubectl describe. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = {"Shows one resource of the running local stack (pulse local), like kubectl describe: the spec, conditions, "
                + "pipeline, lag, freshness, drift, anomalies, and recent Events.",
                "KIND: eventstream|es, metric|mt, funnel|fn, retention|rt, kafkatopic|kt, flinkdeployment|flinkdep."})
final class DescribeCommand implements Callable<Integer> {
    @Mixin
    ResourceArguments resource;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        if (resource.name() == null) {
            throw new CommandLine.ParameterException(cmd, "describe needs KIND NAME (or KIND/NAME)");
        }
        StackCommands.Describe request = new StackCommands.Describe(resource.kind(), resource.name(), resource.namespace);
        return StackCommands.run(cmd, stack -> stack.describe(request, cmd.getOut(), cmd.getErr()));
    }
}
