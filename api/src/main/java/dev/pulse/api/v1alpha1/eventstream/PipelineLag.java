package dev.pulse.api.v1alpha1.eventstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.api.v1alpha1.common.LagStatus;
import lombok.Data;
import lombok.EqualsAndHashCode;
import lombok.NoArgsConstructor;

/**
 * The consumer lag of one pipeline reading a stream: the shared pipeline and each dedicated one
 * commit to their own consumer group, so each has its own lag.
 */
@Data
@NoArgsConstructor
@EqualsAndHashCode(callSuper = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineLag extends LagStatus {
    @JsonPropertyDescription("The pipeline: the name of its FlinkDeployment (the stream's shared pipeline, or a dedicated one of an analysis "
            + "with spec.pipeline.isolation: dedicated).")
    private String pipeline;

    @JsonPropertyDescription("The Kafka consumer group the pipeline commits its position to, on the stream's topic.")
    private String consumerGroup;
}
