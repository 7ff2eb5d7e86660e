package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;
import lombok.NoArgsConstructor;

/** How recent the served results are. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FreshnessStatus {
    @JsonPropertyDescription("End of the latest final window in the serving store (RFC 3339).")
    private String latestFinalWindowEnd;

    @JsonPropertyDescription("Seconds between now and latestFinalWindowEnd.")
    private Long secondsBehind;

    @JsonPropertyDescription("When the latest provisional update was written (RFC 3339).")
    private String latestProvisionalUpdate;

    @JsonPropertyDescription("When the serving catalog was read for these figures (RFC 3339).")
    private String asOf;

    @JsonPropertyDescription("True when the latest probes could not read the serving catalog (see condition Probing): these figures are the last good ones, as of asOf.")
    private Boolean stale;
}
