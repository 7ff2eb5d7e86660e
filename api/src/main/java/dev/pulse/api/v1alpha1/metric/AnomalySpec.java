package dev.pulse.api.v1alpha1.metric;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.api.v1alpha1.common.Durations;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Anomaly detection on a Metric's series. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnomalySpec {
    @Required
    @JsonPropertyDescription("zscore (rolling mean and standard deviation), ewma, or seasonal (same slot in past seasons, median +- k*MAD).")
    private Algorithm algorithm;

    @JsonPropertyDescription("none, hourly, daily (default for seasonal) or weekly.")
    private Seasonality seasonality;

    @Min(0.5)
    @Max(20)
    @JsonPropertyDescription("How many deviations from the expected value count as an anomaly. Default 3.")
    private Double deviations;

    @JsonPropertyDescription("above, below or both (default).")
    private Direction direction;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("History needed before an anomaly may fire, e.g. 3d. Default 1d.")
    private String minHistory;

    /** Detection algorithms. */
    public enum Algorithm {
        zscore, ewma, seasonal
    }

    /** Seasonal periods. */
    public enum Seasonality {
        none, hourly, daily, weekly
    }

    /** Which deviations count. */
    public enum Direction {
        above, below, both
    }
}
