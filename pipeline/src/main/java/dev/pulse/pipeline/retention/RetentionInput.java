package dev.pulse.pipeline.retention;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.PlanPart;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.EventLayout;
import dev.pulse.pipeline.event.FieldRef;
import dev.pulse.pipeline.filter.AnalysisFilter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/** Matches each event of an actor against a retention's cohort and return filters. */
public final class RetentionInput extends RichFlatMapFunction<Event, RetentionEvent> {
    private static final long serialVersionUID = 1L;
    private final PlanPart<AnalysisPlan> part;
    private final EventLayout layout;
    private final AnalysisFilter cohort;
    private final AnalysisFilter returning;
    private transient FieldRef[] dimensions;

    public RetentionInput(AnalysisPlan plan, EventLayout layout) {
        this.part = PlanPart.of(plan);
        this.layout = layout;
        this.cohort = new AnalysisFilter(plan.retention().cohort(), layout);
        this.returning = new AnalysisFilter(plan.retention().returnFilter(), layout);
    }

    @Override
    public void open(OpenContext context) {
        cohort.open();
        returning.open();
        dimensions = part.get().dimensions().stream().map(layout::field).toArray(FieldRef[]::new);
    }

    @Override
    public void flatMap(Event e, Collector<RetentionEvent> out) {
        if (e.actor == null) {
            return;
        }
        boolean c = cohort.test(e);
        boolean r = returning.test(e);
        if (!c && !r) {
            return;
        }
        RetentionEvent x = new RetentionEvent();
        x.actor = e.actor;
        x.time = e.time;
        x.cohort = c;
        x.returning = r;
        x.history = e.history;
        x.sourceWatermark = e.sourceWatermark;
        x.source = e.source;
        x.position = e.position;
        if (c) {
            String[] values = new String[dimensions.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = dimensions[i].text(e);
            }
            x.dimensions = values;
        }
        out.collect(x);
    }
}
