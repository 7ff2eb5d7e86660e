package dev.pulse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse token -n NS}: a bearer token of the running local stack that may read one namespace through the serving API. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Prints a bearer token of the running local stack (pulse local) that may read only namespace NS "
                + "through the serving API and its dashboard (Authorization: Bearer <token>).",
                "pulse local prints a token that may read every namespace. Tokens are valid until the stack stops."})
final class TokenCommand implements Callable<Integer> {
    @Option(names = {"-n", "--namespace"}, required = true, paramLabel = "NS", description = "the namespace the token may read")
    String namespace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        if (!namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new CommandLine.ParameterException(cmd, "not a namespace name: '" + namespace + "'");
        }
        return StackCommands.run(cmd, stack -> stack.token(namespace, cmd.getOut(), cmd.getErr()));
    }
}
