package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;
import lombok.EqualsAndHashCode;
import lombok.NoArgsConstructor;

/** Status of an analysis: the common status plus drift and anomalies. */
@Data
@NoArgsConstructor
@EqualsAndHashCode(callSuper = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisStatus extends PulseStatus {
    @JsonPropertyDescription("Latest comparison with the batch source (Metrics with reconciliation).")
    private DriftStatus drift;

    @JsonPropertyDescription("Anomaly detection on the series (Metrics with anomaly).")
    private AnomalyStatus anomalies;

    @JsonPropertyDescription("While a new version computes its history (Ready=False, reason Backfilling); absent otherwise.")
    private BackfillStatus backfill;

    @JsonPropertyDescription("The version (semantic hash) the serving API answers from.")
    private String servingVersion;
}
