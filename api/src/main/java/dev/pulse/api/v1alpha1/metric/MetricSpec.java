package dev.pulse.api.v1alpha1.metric;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.api.v1alpha1.common.DeletionPolicy;
import dev.pulse.api.v1alpha1.common.AnalysisSpec;
import dev.pulse.api.v1alpha1.common.AnalysisLimits;
import dev.pulse.api.v1alpha1.common.Backfill;
import dev.pulse.api.v1alpha1.common.Durations;
import dev.pulse.api.v1alpha1.common.EventFilter;
import dev.pulse.api.v1alpha1.common.PipelineOptions;
import dev.pulse.api.v1alpha1.common.Serving;
import dev.pulse.api.v1alpha1.common.WhereCondition;
import dev.pulse.api.v1alpha1.common.Window;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;
import lombok.NoArgsConstructor;

/** The desired state of a Metric. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricSpec implements AnalysisSpec, EventFilter {
    @Required
    @JsonPropertyDescription("Name of the EventStream (in the same namespace) the metric is computed over.")
    private String stream;

    @Size(max = 1024)
    @JsonPropertyDescription("What the number means, for people reading dashboards.")
    private String description;

    @Size(max = 253)
    @JsonPropertyDescription("The team that owns the definition.")
    private String owner;

    @Size(max = 50)
    @JsonPropertyDescription("Event types that count; any of them. Empty: every type.")
    private List<String> events;

    @Size(max = 20)
    @JsonPropertyDescription("Conditions that must all hold, like a label selector's matchExpressions.")
    private List<WhereCondition> where;

    @JsonPropertyDescription("Optional CEL expression over the stream's fields; an event on which it errors does not count.")
    private String expression;

    @Required
    @JsonPropertyDescription("How the events that pass are aggregated per window and dimension values.")
    private Aggregation aggregation = new Aggregation();

    @Size(max = 8)
    @JsonPropertyDescription("Fields to group by (at most 8). A missing value groups as null.")
    private List<String> dimensions = new ArrayList<>();

    @Required
    @JsonPropertyDescription("The event-time window, aligned to the UTC epoch.")
    private Window window;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("How long after a window's end (by watermark) late events still update it before it is final. Default 0s.")
    private String allowedLateness;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("How often provisional results of open windows are written. Default 5s.")
    private String emitEvery;

    @JsonPropertyDescription("How results are kept in the serving store.")
    private Serving serving;

    @JsonPropertyDescription("Also write results to a Kafka topic <namespace>.<name>.results.")
    private Boolean outputTopic;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("Fresh while the latest final window is at most this old. Default 60s.")
    private String freshnessObjective;

    @JsonPropertyDescription("Anomaly detection on the metric's series, per dimension values.")
    private AnomalySpec anomaly;

    @JsonPropertyDescription("Daily comparison with the batch output this metric replaces.")
    private ReconciliationSpec reconciliation;

    @JsonPropertyDescription("Where the metric runs: its stream's shared pipeline or its own.")
    private PipelineOptions pipeline;

    @JsonPropertyDescription("How much history a new version of the metric is computed over before it replaces the previous one. Default: from earliest.")
    private Backfill backfill;

    @JsonPropertyDescription("Bounds on what the analysis keeps: maxGroups, the dimension combinations of one window (default 10000).")
    private AnalysisLimits limits;

    @io.fabric8.generator.annotation.Default("Retain")
    @JsonPropertyDescription(DeletionPolicy.DESCRIPTION)
    private DeletionPolicy deletionPolicy;
}
