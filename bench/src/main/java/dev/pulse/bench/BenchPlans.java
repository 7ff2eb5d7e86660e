package dev.pulse.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pulse.api.compile.Compilation;
import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.validate.DefinitionValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** Compiles a benchmark stream (by default {@link BenchEvents#STREAM}) and analysis definitions into their plan, as the operator does. */
final class BenchPlans {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private BenchPlans() {
    }

    /** The plan of the stream over {@code topic} with these analyses (Metric, Funnel or Retention YAML). */
    static PipelinePlan compile(String topic, List<String> analyses) throws Exception {
        return compileStream(BenchEvents.STREAM.replace("TOPIC", topic), analyses);
    }

    /** The plan of the stream {@code streamYaml} with these analyses. */
    static PipelinePlan compileStream(String streamYaml, List<String> analyses) throws Exception {
        List<HasMetadata> resources = new ArrayList<>();
        resources.add(YAML.treeToValue(YAML.readTree(streamYaml), EventStream.class));
        for (String yaml : analyses) {
            JsonNode node = YAML.readTree(yaml);
            resources.add(YAML.treeToValue(node, DefinitionValidator.typeOf(node.path("kind").asText())));
        }
        Compilation compiled = new PlanCompiler().compile(resources);
        if (!compiled.isValid()) {
            throw new IllegalStateException("invalid benchmark definitions: " + compiled.problems());
        }
        return compiled.plans().get(0);
    }

    /** The Metrics' definitions. */
    static List<String> yamls(List<BenchMetric> metrics) {
        return metrics.stream().map(BenchMetric::yaml).toList();
    }
}
