package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Anomalies found on a Metric's series. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnomalyStatus {
    @JsonPropertyDescription("Anomalies in the latest final window.")
    private Integer active;

    @JsonPropertyDescription("When the latest anomaly was detected (RFC 3339).")
    private String lastDetected;
}
