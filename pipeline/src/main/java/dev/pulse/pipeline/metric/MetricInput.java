package dev.pulse.pipeline.metric;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.MetricPlan;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.pipeline.PlanPart;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.EventLayout;
import dev.pulse.pipeline.event.FieldRef;
import dev.pulse.pipeline.filter.AnalysisFilter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Applies a Metric's filter (and a ratio's two sides) to each event and turns the ones that pass
 * into {@link Observation}s: group key, time and the aggregated value.
 */
public final class MetricInput extends RichFlatMapFunction<Event, Observation> {
    private static final long serialVersionUID = 1L;
    private final AnalysisFilter filter;
    private final AnalysisFilter numerator;
    private final AnalysisFilter denominator;
    private final EventLayout layout;
    private final PlanPart<AnalysisPlan> part;
    private transient FieldRef[] dimensions;
    private transient FieldRef field;
    private transient boolean readsNumber;

    public MetricInput(AnalysisPlan plan, EventLayout layout) {
        this.part = PlanPart.of(plan);
        this.layout = layout;
        MetricPlan metric = plan.metric();
        this.filter = new AnalysisFilter(plan.filter(), layout);
        boolean ratio = metric.aggregation() == AggregationType.ratio;
        this.numerator = ratio ? new AnalysisFilter(metric.numerator(), layout) : null;
        this.denominator = ratio ? new AnalysisFilter(metric.denominator(), layout) : null;
    }

    @Override
    public void open(OpenContext context) {
        AnalysisPlan plan = part.get();
        filter.open();
        if (numerator != null) {
            numerator.open();
            denominator.open();
        }
        dimensions = plan.dimensions().stream().map(layout::field).toArray(FieldRef[]::new);
        AggregationType aggregation = plan.metric().aggregation();
        field = plan.metric().field() == null || aggregation == AggregationType.count || aggregation == AggregationType.ratio
                ? null : layout.field(plan.metric().field());
        readsNumber = aggregation.needsNumericField();
    }

    @Override
    public void flatMap(Event e, Collector<Observation> out) {
        if (!filter.test(e)) {
            return;
        }
        int flags = 0;
        if (numerator != null) {
            flags = (numerator.test(e) ? Observation.NUMERATOR : 0) | (denominator.test(e) ? Observation.DENOMINATOR : 0);
            if (flags == 0) {
                return;
            }
        }
        Observation o = new Observation();
        if (field != null && field.isPresent(e)) {
            if (readsNumber) {
                o.number = field.number(e);
                flags |= Observation.HAS_NUMBER;
            } else {
                o.text = field.text(e);
            }
        }
        o.flags = e.history ? flags | Observation.HISTORY : flags;
        o.sourceWatermark = e.sourceWatermark;
        o.source = e.source;
        o.position = e.position;
        o.time = e.time;
        String[] values = new String[dimensions.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = dimensions[i].text(e);
        }
        o.key = DimensionKey.encode(values);
        out.collect(o);
    }
}
