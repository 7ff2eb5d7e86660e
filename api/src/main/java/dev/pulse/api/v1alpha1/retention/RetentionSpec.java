package dev.pulse.api.v1alpha1.retention;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.api.v1alpha1.common.DeletionPolicy;
import dev.pulse.api.v1alpha1.common.AnalysisSpec;
import dev.pulse.api.v1alpha1.common.AnalysisLimits;
import dev.pulse.api.v1alpha1.common.Backfill;
import dev.pulse.api.v1alpha1.common.Durations;
import dev.pulse.api.v1alpha1.common.Filter;
import dev.pulse.api.v1alpha1.common.PipelineOptions;
import dev.pulse.api.v1alpha1.common.Serving;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;
import lombok.NoArgsConstructor;

/** The desired state of a Retention analysis. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetentionSpec implements AnalysisSpec {
    @Required
    @JsonPropertyDescription("Name of the EventStream (in the same namespace) the retention follows.")
    private String stream;

    @Size(max = 1024)
    @JsonPropertyDescription("What the retention measures, for people reading dashboards.")
    private String description;

    @Size(max = 253)
    @JsonPropertyDescription("The team that owns the definition.")
    private String owner;

    @Required
    @JsonPropertyDescription("The events that put an actor in a cohort; the first one is its cohort time t0.")
    private Filter cohort = new Filter();

    @Required
    @JsonProperty("return")
    @JsonPropertyDescription("The events that count as a return.")
    private Filter returnFilter = new Filter();

    @Required
    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("Length of a period, e.g. 1d; cohorts start at t0 rounded down to it.")
    private String period;

    @Required
    @Min(1)
    @Max(365)
    @JsonPropertyDescription("Number of periods reported after the cohort period (1 to 365).")
    private Integer periods;

    @JsonPropertyDescription("bounded (default): a return in [t0+k*P, t0+(k+1)*P) retains in period k; unbounded: any return at or after t0+k*P.")
    private Mode mode;

    @Size(max = 8)
    @JsonPropertyDescription("Breakdown fields (at most 8), taken from the actor's first cohort event.")
    private List<String> dimensions = new ArrayList<>();

    @JsonPropertyDescription("How results are kept in the serving store.")
    private Serving serving;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("Fresh while the latest result is at most this old. Default 60s.")
    private String freshnessObjective;

    @JsonPropertyDescription("Where the retention runs: its stream's shared pipeline or its own.")
    private PipelineOptions pipeline;

    @JsonPropertyDescription("How much history a new version of the retention is computed over before it replaces the previous one. Default: from earliest.")
    private Backfill backfill;

    @JsonPropertyDescription("Bounds on what the analysis keeps: maxGroups, the dimension combinations of one window (default 10000).")
    private AnalysisLimits limits;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("How long after an event's own time (by watermark) it still counts; a later event is late: counted, "
            + "sent to the stream's dead letters with reason late, never in a row. Default 1m.")
    private String allowedLateness;

    @io.fabric8.generator.annotation.Default("Retain")
    @JsonPropertyDescription(DeletionPolicy.DESCRIPTION)
    private DeletionPolicy deletionPolicy;

    /** Whether a return must fall in its own period. */
    public enum Mode {
        bounded, unbounded
    }
}
