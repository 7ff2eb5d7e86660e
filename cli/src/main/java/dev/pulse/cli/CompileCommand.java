package dev.pulse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.validate.DefinitionValidator;
import dev.pulse.operator.render.RenderSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
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

    @CommandLine.Option(names = "--kafka-cluster", defaultValue = "analytics",
            description = "Strimzi cluster of streams that name none (default: ${DEFAULT-VALUE}).")
    String kafkaCluster;

    @CommandLine.Option(names = "--bootstrap-servers", defaultValue = "{cluster}-kafka-bootstrap:9092",
            description = "Kafka bootstrap servers given to pipelines; {cluster} is the stream's cluster (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @CommandLine.Option(names = "--image", defaultValue = "ghcr.io/pulse-dev/pulse-pipeline:0.1.0-SNAPSHOT",
            description = "Pipeline image, unless the template names one (default: ${DEFAULT-VALUE}).")
    String image;

    @CommandLine.Option(names = "--database-secret", defaultValue = "pulse-serving-db",
            description = "Secret with the serving database connection (default: ${DEFAULT-VALUE}).")
    String databaseSecret;

    @CommandLine.Option(names = "--templates", description = "Directory of FlinkDeployment templates (default: the built-in ones).")
    Path templates;

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
        KubernetesSerialization serialization = new KubernetesSerialization();
        RenderSettings settings = new RenderSettings(kafkaCluster, bootstrapServers, image, databaseSecret);
        for (HasMetadata object : new KubernetesObjects(settings, Optional.ofNullable(templates)).render(result.resources(), result.compilation())) {
            out.println("---");
            out.print(serialization.asYaml(object).replaceFirst("^---\\n", ""));
        }
        out.flush();
        return 0;
    }
}
