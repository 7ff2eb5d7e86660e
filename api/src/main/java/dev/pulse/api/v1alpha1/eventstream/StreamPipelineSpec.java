package dev.pulse.api.v1alpha1.eventstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import lombok.Data;
import lombok.NoArgsConstructor;

/** The stream's pipeline. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StreamPipelineSpec {
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    @JsonPropertyDescription("Name of the FlinkDeployment template in pipeline-templates/ (default: default).")
    private String template;

    @Min(1)
    @Max(256)
    @JsonPropertyDescription("Flink parallelism of the job. Default 2.")
    private Integer parallelism;
}
