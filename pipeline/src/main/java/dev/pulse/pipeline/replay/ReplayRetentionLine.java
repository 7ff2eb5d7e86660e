package dev.pulse.pipeline.replay;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.PlanPart;
import dev.pulse.pipeline.retention.RetentionRow;
import dev.pulse.pipeline.retention.RetentionRows;
import dev.pulse.pipeline.retention.RetentionTracker;
import dev.pulse.pipeline.sink.AnalysisRowJson;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A replayed retention row as its JSON line: in a replay every event counts, and a period is
 * complete when the last event's time has passed it (docs/semantics.md), else it is null.
 */
final class ReplayRetentionLine implements MapFunction<RetentionRow, String> {
    private static final long serialVersionUID = 1L;
    private final PlanPart<AnalysisPlan> plan;
    private final long lastEventTime;
    private final AnalysisRowJson json;

    ReplayRetentionLine(AnalysisPlan plan, long lastEventTime) {
        this.plan = PlanPart.of(plan);
        this.lastEventTime = lastEventTime;
        this.json = new AnalysisRowJson(plan);
    }

    @Override
    public String map(RetentionRow row) {
        row.complete = RetentionRows.completeness(new RetentionTracker(plan.get().retention()), row.windowStart, lastEventTime);
        return json.retention(row);
    }
}
