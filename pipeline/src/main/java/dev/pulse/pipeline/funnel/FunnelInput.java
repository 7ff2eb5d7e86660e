package dev.pulse.pipeline.funnel;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.FunnelPlan;
import dev.pulse.api.v1alpha1.funnel.FunnelSpec;
import dev.pulse.pipeline.PlanPart;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.EventLayout;
import dev.pulse.pipeline.event.FieldRef;
import dev.pulse.pipeline.filter.AnalysisFilter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Matches each event against a funnel's steps and exclusions. Events of no actor are skipped;
 * so are events that match nothing, except in strict order, where any event can break an attempt.
 */
public final class FunnelInput extends RichFlatMapFunction<Event, FunnelEvent> {
    private static final long serialVersionUID = 1L;
    private final PlanPart<AnalysisPlan> part;
    private final EventLayout layout;
    private final AnalysisFilter[] steps;
    private final AnalysisFilter[] exclusions;
    private final boolean strict;
    private transient FieldRef[] dimensions;

    public FunnelInput(AnalysisPlan plan, EventLayout layout) {
        this.part = PlanPart.of(plan);
        this.layout = layout;
        FunnelPlan funnel = plan.funnel();
        this.steps = funnel.steps().stream().map(s -> new AnalysisFilter(s.filter(), layout)).toArray(AnalysisFilter[]::new);
        this.exclusions = funnel.exclusions().stream().map(x -> new AnalysisFilter(x.filter(), layout)).toArray(AnalysisFilter[]::new);
        this.strict = funnel.order() == FunnelSpec.Order.strict;
    }

    @Override
    public void open(OpenContext context) {
        for (AnalysisFilter f : steps) {
            f.open();
        }
        for (AnalysisFilter f : exclusions) {
            f.open();
        }
        dimensions = part.get().dimensions().stream().map(layout::field).toArray(FieldRef[]::new);
    }

    @Override
    public void flatMap(Event e, Collector<FunnelEvent> out) {
        if (e.actor == null) {
            return;
        }
        int stepMask = 0;
        for (int i = 0; i < steps.length; i++) {
            if (steps[i].test(e)) {
                stepMask |= 1 << i;
            }
        }
        int exclusionMask = 0;
        for (int j = 0; j < exclusions.length; j++) {
            if (exclusions[j].test(e)) {
                exclusionMask |= 1 << j;
            }
        }
        if (stepMask == 0 && exclusionMask == 0 && !strict) {
            return;
        }
        FunnelEvent f = new FunnelEvent();
        f.actor = e.actor;
        f.time = e.time;
        f.steps = stepMask;
        f.exclusions = exclusionMask;
        String[] values = new String[dimensions.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = dimensions[i].text(e);
        }
        f.dimensions = values;
        f.sequence = e.position;
        f.source = e.source;
        f.history = e.history;
        f.sourceWatermark = e.sourceWatermark;
        out.collect(f);
    }
}
