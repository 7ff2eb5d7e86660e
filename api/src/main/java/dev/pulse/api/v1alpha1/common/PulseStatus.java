package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Status every Pulse resource carries (docs/operations.md, "Conditions and reasons"). */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PulseStatus {
    @JsonPropertyDescription("The metadata.generation the status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready, Valid, PipelineRunning, Fresh, DriftWithinTolerance, Authoritative.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The pipeline that runs this resource.")
    private PipelineStatus pipeline;

    @JsonPropertyDescription("Consumer lag of the pipeline.")
    private LagStatus lag;

    @JsonPropertyDescription("Freshness of the served results.")
    private FreshnessStatus freshness;

    /** The condition of the given type, if present. */
    public Optional<Condition> condition(String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
