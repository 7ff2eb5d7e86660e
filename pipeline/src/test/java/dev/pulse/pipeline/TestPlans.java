package dev.pulse.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.pulse.api.compile.Compilation;
import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.funnel.Funnel;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.api.v1alpha1.retention.Retention;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compiles YAML definitions (namespace growth unless given) into the plan of their stream. */
final class TestPlans {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private TestPlans() {
    }

    static PipelinePlan compile(String yaml) {
        return compile(yaml, null);
    }

    /**
     * Compiles against the plan running before ({@code previous}, or null), as the operator does: a
     * version that keeps running keeps its backfill pins.
     */
    static PipelinePlan compile(String yaml, PipelinePlan previous) {
        List<HasMetadata> resources = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                Class<? extends HasMetadata> type = switch (doc.get("kind").asText()) {
                    case "EventStream" -> EventStream.class;
                    case "Metric" -> Metric.class;
                    case "Funnel" -> Funnel.class;
                    case "Retention" -> Retention.class;
                    default -> throw new IllegalArgumentException(doc.get("kind").asText());
                };
                HasMetadata r = YAML.treeToValue(doc, type);
                if (r.getMetadata().getNamespace() == null) {
                    r.getMetadata().setNamespace("growth");
                }
                resources.add(r);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        Compilation c = (previous == null ? new PlanCompiler() : new PlanCompiler(Map.of(previous.pipeline(), previous))).compile(resources);
        if (!c.isValid()) {
            throw new IllegalArgumentException("invalid test definitions: " + c.problems());
        }
        return c.plans().get(0);
    }
}
