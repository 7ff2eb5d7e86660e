package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Progress of a new version computing its history before it replaces the previous one. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackfillStatus {
    @JsonPropertyDescription("The version (semantic hash) being computed.")
    private String version;

    @JsonPropertyDescription("The first event time that counts in this version (RFC 3339); absent when it counts every retained record.")
    private String from;

    @JsonPropertyDescription("When the version was first applied (RFC 3339): history is read up to the hand-over offsets taken then.")
    private String to;

    @JsonPropertyDescription("Per partition, the first offset the live pipeline counts for this version; records before it are read once as history.")
    private Map<String, Long> handOver;

    @JsonPropertyDescription("Share of the history read so far, 0 to 1.")
    private Double progress;

    @JsonPropertyDescription("History records read so far (as of the pipeline's latest checkpoint).")
    private Long recordsDone;

    @JsonPropertyDescription("History records to read in all.")
    private Long recordsTotal;

    @JsonPropertyDescription("When the history read should finish at the current rate (RFC 3339); absent until a rate is known.")
    private String estimatedFinish;
}
