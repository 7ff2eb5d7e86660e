package dev.pulse.api.v1alpha1.funnel;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.api.v1alpha1.common.DeletionPolicy;
import dev.pulse.api.v1alpha1.common.AnalysisSpec;
import dev.pulse.api.v1alpha1.common.AnalysisLimits;
import dev.pulse.api.v1alpha1.common.Backfill;
import dev.pulse.api.v1alpha1.common.Durations;
import dev.pulse.api.v1alpha1.common.PipelineOptions;
import dev.pulse.api.v1alpha1.common.Serving;
import dev.pulse.api.v1alpha1.common.Window;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;
import lombok.NoArgsConstructor;

/** The desired state of a Funnel. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FunnelSpec implements AnalysisSpec {
    @Required
    @JsonPropertyDescription("Name of the EventStream (in the same namespace) the funnel follows.")
    private String stream;

    @Size(max = 1024)
    @JsonPropertyDescription("What the funnel measures, for people reading dashboards.")
    private String description;

    @Size(max = 253)
    @JsonPropertyDescription("The team that owns the definition.")
    private String owner;

    @Required
    @Size(min = 2, max = 20)
    @JsonPropertyDescription("The steps in order (2 to 20), each a filter with a name.")
    private List<FunnelStep> steps = new ArrayList<>();

    @JsonPropertyDescription("ordered (default): later steps in order, other events in between allowed; strict: the actor's next event must be the next step or a repeat; unordered: any order.")
    private Order order;

    @Required
    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("How long after its first event an attempt may still convert, e.g. 30m.")
    private String conversionWindow;

    @Size(max = 20)
    @JsonPropertyDescription("Events that disqualify an attempt whose level is in [fromStep, toStep).")
    private List<Exclusion> exclusions;

    @JsonPropertyDescription("uniques (default): distinct actors per row by their best attempt; totals: attempts.")
    private CountBy countBy;

    @Size(max = 8)
    @JsonPropertyDescription("Breakdown fields (at most 8), taken from each attempt's first event.")
    private List<String> dimensions = new ArrayList<>();

    @Required
    @JsonPropertyDescription("The reporting window: an attempt belongs to the window holding its first event.")
    private Window window;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("How long after an attempt's conversion window (by watermark) late events still count. Default 0s.")
    private String allowedLateness;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("How often provisional results are written. Default 5s.")
    private String emitEvery;

    @JsonPropertyDescription("How results are kept in the serving store.")
    private Serving serving;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("Fresh while the latest final window is at most this old. Default 60s.")
    private String freshnessObjective;

    @JsonPropertyDescription("Where the funnel runs: its stream's shared pipeline or its own.")
    private PipelineOptions pipeline;

    @JsonPropertyDescription("How much history a new version of the funnel is computed over before it replaces the previous one. Default: from earliest.")
    private Backfill backfill;

    @JsonPropertyDescription("Bounds on what the analysis keeps: maxGroups, the dimension combinations of one window (default 10000).")
    private AnalysisLimits limits;

    @io.fabric8.generator.annotation.Default("Retain")
    @JsonPropertyDescription(DeletionPolicy.DESCRIPTION)
    private DeletionPolicy deletionPolicy;

    /** Funnel order modes. */
    public enum Order {
        ordered, strict, unordered
    }

    /** What a funnel row counts. */
    public enum CountBy {
        uniques, totals
    }
}
