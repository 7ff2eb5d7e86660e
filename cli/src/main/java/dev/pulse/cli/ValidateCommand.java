package dev.pulse.cli;

import dev.pulse.api.validate.DefinitionValidator;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pulse validate}: checks definitions offline with the CRD schemas and the compiler. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks definitions offline: CRD schema (with its CEL rules) and the compiler's semantic checks.",
                "Prints one line per problem to standard error, '<file>:<line>:<col>: <Kind>/<name>: <field path>: <message>' "
                        + "(with -o json, one JSON document on standard output instead).",
                "Exit 0 when all is valid, 1 when a definition is invalid, 2 on a usage error, 3 on an internal error."})
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    Definitions definitions;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "text|json",
            description = "text (default): a line per problem on standard error; json: {\"valid\", \"definitions\", \"problems\": "
                    + "[{file, line, column, resource, field, message}]} on standard output.")
    Definitions.Output output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DefinitionValidator.Result result;
        if (output == Definitions.Output.json) {
            result = definitions.validateQuietly();
            out.println(Definitions.JSON.writeValueAsString(Definitions.problemsJson(result)));
        } else {
            result = definitions.validate(spec.commandLine().getErr());
            if (result.isValid()) {
                out.println(result.resources().size() + " definitions valid");
            }
        }
        out.flush();
        return result.isValid() ? 0 : Pulse.INVALID;
    }
}
