package dev.pulse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.validate.DefinitionValidator;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pulse compile}: prints every PipelinePlan (and the objects the operator would create), offline. */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compiles definitions offline and prints, as YAML, every PipelinePlan and every Kubernetes object the operator would create.",
                "Exit 1 with the validate output when the definitions are invalid."})
final class CompileCommand implements Callable<Integer> {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    @Mixin
    Definitions definitions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DefinitionValidator.Result result = definitions.validate(spec.commandLine().getErr());
        if (!result.isValid()) {
            return 1;
        }
        for (PipelinePlan plan : result.compilation().plans()) {
            out.println("---");
            out.println("# PipelinePlan for FlinkDeployment " + plan.stream().namespace() + "/" + plan.pipeline());
            out.print(YAML.writeValueAsString(YAML.readTree(PlanJson.write(plan))));
        }
        out.flush();
        return 0;
    }
}
