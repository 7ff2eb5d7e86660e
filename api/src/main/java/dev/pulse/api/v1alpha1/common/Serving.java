package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import lombok.Data;
import lombok.NoArgsConstructor;

/** How results are kept in the PostgreSQL serving store. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Serving {
    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("How long rows are kept, e.g. 30d. Default 30d.")
    private String retention;

    @Size(max = 4)
    @JsonPropertyDescription("Coarser grains kept as rollup tables, e.g. [1h, 1d]; each a multiple of the window size and larger "
            + "than it; tumbling windows only. Left out: each of 5m, 1h and 1d that is a multiple of the window size and larger "
            + "than it (1m windows: [5m, 1h, 1d]; 1h windows: [1d]). [] keeps none. A rollup's value is the aggregation over its "
            + "whole bucket, for every aggregation: countDistinct exact (the union of the windows' distinct values, which each "
            + "row stores), percentile from the merged DDSketch (within 1% of the exact value). countDistinct and percentile "
            + "rollups answer their own grain grouped by every dimension; the others also coarser grains and fewer dimensions.")
    private List<String> rollups;
}
