package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Consumer lag of the pipeline's consumer group on the stream's topic. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LagStatus {
    @JsonPropertyDescription("Records behind the end of the topic, summed over partitions.")
    private Long records;

    @JsonPropertyDescription("Estimated seconds behind.")
    private Long seconds;

    @JsonPropertyDescription("When this was measured (RFC 3339).")
    private String asOf;

    @JsonPropertyDescription("True when the latest probes could not measure the lag (see condition Probing): these figures are the last good ones, as of asOf.")
    private Boolean stale;
}
