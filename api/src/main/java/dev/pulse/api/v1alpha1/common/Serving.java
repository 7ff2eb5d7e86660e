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
    @JsonPropertyDescription("Coarser grains kept as rollup tables, e.g. [1h, 1d]; each a multiple of the window size.")
    private List<String> rollups;
}
