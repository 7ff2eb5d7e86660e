package dev.pulse.pipeline.funnel;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.NeverIdle;
import dev.pulse.pipeline.PipelineGraph;
import dev.pulse.pipeline.backfill.VersionStream;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.EventLayout;
import dev.pulse.pipeline.groups.GroupLimit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** A Funnel's operators: step matching, attempts per actor, counts per row. */
public final class FunnelGraph {
    private FunnelGraph() {
    }

    /** A funnel's outputs: its rows and its late events. */
    public record Output(AnalysisPlan plan, DataStream<FunnelRow> rows, DataStream<FunnelEvent> late) {
    }

    public static Output add(VersionStream<Event> events, EventLayout layout, boolean provisional) {
        AnalysisPlan a = events.plan();
        String name = a.kind() + " " + a.namespace() + "/" + a.name();
        SingleOutputStreamOperator<AttemptUpdate> attempts = events
                .flatMap(new FunnelInput(a, layout), FunnelTypes.EVENT, name + ": steps", "steps")
                .process(e -> e.actor, new FunnelAttempts(a, provisional), FunnelTypes.UPDATE,
                        name + ": attempts", "attempts");
        DataStream<AttemptUpdate> updates = NeverIdle.after(attempts, a, "attempts");
        if (!a.dimensions().isEmpty()) {
            // in a replay one update per attempt (when it closes): the order of an attempt's updates does not matter
            updates = GroupLimit.add(updates, a, new FunnelGroups(a), provisional, (u, t) -> u.order, null);
        }
        DataStream<FunnelRow> rows = updates
                .keyBy(u -> u.row, Types.STRING)
                .process(new FunnelRows(a, provisional)).returns(FunnelTypes.ROW)
                .name(name + ": rows").uid(PipelineGraph.uid(a, "rows"));
        return new Output(a, rows, attempts.getSideOutput(FunnelAttempts.lateOutput(a)));
    }
}
