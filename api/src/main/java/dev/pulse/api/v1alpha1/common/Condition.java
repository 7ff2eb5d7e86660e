package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** A Kubernetes-style condition (kstatus and Argo CD read these). */
@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
    public static final String READY = "Ready";
    public static final String VALID = "Valid";
    public static final String PIPELINE_RUNNING = "PipelineRunning";
    /** An EventStream's (or a Metric's result) KafkaTopics are Ready, as Strimzi reports them. */
    public static final String TOPIC_READY = "TopicReady";
    public static final String FRESH = "Fresh";
    /** Whether the health probes (Kafka lag, catalog freshness) produce current readings; never changes Ready. */
    public static final String PROBING = "Probing";
    public static final String DRIFT_WITHIN_TOLERANCE = "DriftWithinTolerance";
    public static final String AUTHORITATIVE = "Authoritative";
    /** True while recent windows of the analysis have more dimension combinations than {@code spec.limits.maxGroups}. */
    public static final String CARDINALITY_CAPPED = "CardinalityCapped";

    @Required
    @JsonPropertyDescription("Ready (summary), Valid, PipelineRunning, TopicReady, Fresh, DriftWithinTolerance, Authoritative, CardinalityCapped, or another a newer operator sets.")
    private String type;

    @Required
    @JsonPropertyDescription("True, False or Unknown.")
    private String status;

    @JsonPropertyDescription("A stable CamelCase reason for the status.")
    private String reason;

    @JsonPropertyDescription("A human-readable explanation.")
    private String message;

    @JsonPropertyDescription("When status last changed (RFC 3339); kept while status stays the same.")
    private String lastTransitionTime;

    @JsonPropertyDescription("The metadata.generation this condition was computed for.")
    private Long observedGeneration;
}
