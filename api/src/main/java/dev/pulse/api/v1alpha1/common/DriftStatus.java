package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Latest daily comparison of a Metric with its batch source. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DriftStatus {
    @JsonPropertyDescription("The day compared (YYYY-MM-DD in the reconciliation's time zone).")
    private String day;

    @JsonPropertyDescription("The streaming day total.")
    private Double streaming;

    @JsonPropertyDescription("The batch day total.")
    private Double batch;

    @JsonPropertyDescription("|streaming - batch| / |batch|.")
    private Double relativeError;

    @JsonPropertyDescription("The dimension values with the largest relative error, worst first (at most five).")
    private List<String> worstDimensions;

    @JsonPropertyDescription("Days in a row within tolerance.")
    private Integer consecutiveCleanDays;
}
