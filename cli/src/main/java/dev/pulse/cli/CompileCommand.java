package dev.pulse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.validate.DefinitionValidator;
import dev.pulse.render.RenderSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pulse compile}: prints every PipelinePlan (and the objects the operator would create), offline. */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compiles definitions offline and prints, as YAML, every PipelinePlan and every Kubernetes object the operator would create.",
                "With -o json, one JSON document instead: {\"plans\": [...], \"objects\": [...]}, or validate's -o json document when invalid.",
                "Exit 1 with the validate output when the definitions are invalid, 2 on a usage error, 3 on an internal error."})
final class CompileCommand implements Callable<Integer> {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    @Mixin
    Definitions definitions;

    @CommandLine.Option(names = "--kafka-cluster", defaultValue = "analytics",
            description = "Strimzi cluster of streams that name none (default: ${DEFAULT-VALUE}).")
    String kafkaCluster;

    @CommandLine.Option(names = "--bootstrap-servers", defaultValue = "{cluster}-kafka-bootstrap:9092",
            description = "Kafka bootstrap servers given to pipelines; {cluster} is the stream's cluster (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @CommandLine.Option(names = "--image", defaultValue = "ghcr.io/pulse-dev/pulse-pipeline:0.1.0-SNAPSHOT",
            description = "Pipeline image, unless the template names one (default: ${DEFAULT-VALUE}).")
    String image;

    @CommandLine.Option(names = "--database-secret", defaultValue = "pulse-pipeline-db",
            description = "The namespace's Secret with its own serving database login, which the operator writes (default: ${DEFAULT-VALUE}).")
    String databaseSecret;

    @CommandLine.Option(names = "--templates", description = "Directory of FlinkDeployment templates (default: the built-in ones).")
    Path templates;

    @CommandLine.Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "text|json",
            description = "text (default): YAML documents; json: one JSON document {\"plans\", \"objects\"}.")
    Definitions.Output output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean json = output == Definitions.Output.json;
        DefinitionValidator.Result result = json ? definitions.validateQuietly() : definitions.validate(spec.commandLine().getErr());
        if (!result.isValid()) {
            if (json) {
                out.println(Definitions.JSON.writeValueAsString(Definitions.problemsJson(result)));
                out.flush();
            }
            return Pulse.INVALID;
        }
        KubernetesSerialization serialization = new KubernetesSerialization();
        RenderSettings settings = new RenderSettings(kafkaCluster, bootstrapServers, image, databaseSecret);
        List<HasMetadata> objects = new KubernetesObjects(settings, Optional.ofNullable(templates)).render(result.resources(), result.compilation());
        if (json) {
            ObjectNode doc = Definitions.JSON.createObjectNode();
            ArrayNode plans = doc.putArray("plans");
            for (PipelinePlan plan : result.compilation().plans()) {
                plans.add(Definitions.JSON.readTree(PlanJson.write(plan)));
            }
            ArrayNode rendered = doc.putArray("objects");
            for (HasMetadata object : objects) {
                rendered.add(Definitions.JSON.readTree(serialization.asJson(object)));
            }
            out.println(Definitions.JSON.writeValueAsString(doc));
            out.flush();
            return 0;
        }
        for (PipelinePlan plan : result.compilation().plans()) {
            out.println("---");
            out.println("# PipelinePlan for FlinkDeployment " + plan.stream().namespace() + "/" + plan.pipeline());
            out.print(YAML.writeValueAsString(YAML.readTree(PlanJson.write(plan))));
        }
        for (HasMetadata object : objects) {
            out.println("---");
            out.print(serialization.asYaml(object).replaceFirst("^---\\n", ""));
        }
        out.flush();
        return 0;
    }
}
