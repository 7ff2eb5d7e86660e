package dev.pulse.cli;

import dev.pulse.api.validate.DefinitionValidator;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pulse validate}: checks definitions offline with the CRD schemas and the compiler. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks definitions offline: CRD schema (with its CEL rules) and the compiler's semantic checks.",
                "Prints one line per problem, '<file>: <Kind>/<name>: <field path>: <message>'; exit 0 when all is valid, else 1."})
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    Definitions definitions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DefinitionValidator.Result result = definitions.validate(err);
        if (!result.isValid()) {
            return 1;
        }
        out.println(result.resources().size() + " definitions valid");
        out.flush();
        return 0;
    }
}
