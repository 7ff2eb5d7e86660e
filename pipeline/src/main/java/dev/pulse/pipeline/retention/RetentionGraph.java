package dev.pulse.pipeline.retention;

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

/** A Retention's operators: cohort and return matching, membership per actor, counts per cohort row. */
public final class RetentionGraph {
    private RetentionGraph() {
    }

    /** A retention's outputs: its rows and its late events. */
    public record Output(DataStream<RetentionRow> rows, DataStream<RetentionEvent> late) {
    }

    public static Output add(VersionStream<Event> events, EventLayout layout, boolean provisional) {
        AnalysisPlan a = events.plan();
        String name = a.kind() + " " + a.namespace() + "/" + a.name();
        SingleOutputStreamOperator<MemberUpdate> members = events
                .flatMap(new RetentionInput(a, layout), RetentionTypes.EVENT, name + ": cohort and return", "match")
                .process(e -> e.actor, new RetentionMembers(a), RetentionTypes.UPDATE, name + ": members", "members");
        DataStream<MemberUpdate> updates = NeverIdle.after(members, a, "members");
        if (!a.dimensions().isEmpty()) {
            // a member's later updates replace its earlier ones: in a replay, back to the time each was taken
            updates = GroupLimit.add(updates, a, new RetentionGroups(a), provisional, (u, t) -> u.order, (u, t) -> u.at);
        }
        DataStream<RetentionRow> rows = updates
                .keyBy(u -> u.row, Types.STRING)
                .process(new RetentionRows(a, provisional)).returns(RetentionTypes.ROW)
                .name(name + ": cohorts").uid(PipelineGraph.uid(a, "cohorts"));
        return new Output(rows, members.getSideOutput(RetentionMembers.lateOutput(a)));
    }
}
