package dev.pulse.operator.eventstream;

import dev.pulse.api.compile.Problem;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.render.PipelineException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * Everything one EventStream should be running, computed once per reconcile and handed to the
 * dependents through the workflow context.
 *
 * @param problems the stream's own problems; when any, nothing is rendered and nothing is touched
 * @param blocked why a valid stream's objects could not be rendered (e.g. a missing template), or null
 * @param plans the stream's plans: the shared pipeline's first, then one per dedicated analysis
 * @param inputTopic the stream's KafkaTopic, or null when the topic is external
 * @param deadLetterTopic the KafkaTopic of the stream's dead-letter records (also for an external input topic), or null when invalid
 * @param planConfigMaps plan ConfigMaps by pipeline name
 * @param flinkDeployments FlinkDeployments by pipeline name
 * @param dashboards Grafana dashboard ConfigMaps, one per analysis, by ConfigMap name
 */
public record StreamState(List<Problem> problems, PipelineException blocked, List<PipelinePlan> plans, KafkaTopic inputTopic,
        KafkaTopic deadLetterTopic, Map<String, ConfigMap> planConfigMaps, Map<String, FlinkDeployment> flinkDeployments, Map<String, ConfigMap> dashboards) {

    static StreamState invalid(List<Problem> problems) {
        return new StreamState(problems, null, List.of(), null, null, Map.of(), Map.of(), Map.of());
    }

    static StreamState blocked(List<PipelinePlan> plans, PipelineException e) {
        return new StreamState(List.of(), e, plans, null, null, Map.of(), Map.of(), Map.of());
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** Whether the workflow may create and update the stream's objects. */
    public boolean deployable() {
        return valid() && blocked == null;
    }

    public Optional<PipelinePlan> plan(String pipeline) {
        return plans.stream().filter(p -> p.pipeline().equals(pipeline)).findFirst();
    }
}
