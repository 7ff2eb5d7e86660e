package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Bounds on what one analysis keeps (docs/semantics.md, "Cardinality"). */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisLimits {
    /** The value every dimension takes in the row that gathers the combinations over {@code maxGroups}. */
    public static final String OTHER = "__other__";
    public static final int DEFAULT_MAX_GROUPS = 10_000;

    @Min(1)
    @Max(1_000_000)
    @JsonPropertyDescription("The most dimension combinations one window (funnel: reporting window; retention: cohort period) keeps "
            + "as rows of their own. The first combinations to arrive keep their rows; events of further ones are counted together "
            + "in one row whose every dimension is __other__, and the analysis gets the condition CardinalityCapped. Default 10000.")
    private Integer maxGroups;
}
