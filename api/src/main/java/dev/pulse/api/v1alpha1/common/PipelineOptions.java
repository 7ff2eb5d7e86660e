package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Where an analysis runs. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineOptions {
    @JsonPropertyDescription("shared (default): runs in its stream's pipeline with every other analysis; dedicated: gets its own FlinkDeployment.")
    private Isolation isolation;

    /** How an analysis shares its stream's pipeline. */
    public enum Isolation {
        shared, dedicated
    }
}
