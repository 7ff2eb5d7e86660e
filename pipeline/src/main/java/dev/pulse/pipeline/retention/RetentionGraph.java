package dev.pulse.pipeline.retention;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.PipelineGraph;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.EventLayout;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/** A Retention's operators: cohort and return matching, membership per actor, counts per cohort row. */
public final class RetentionGraph {
    private RetentionGraph() {
    }

    public static DataStream<RetentionRow> add(DataStream<Event> events, AnalysisPlan a, EventLayout layout, boolean provisional) {
        String name = a.kind() + " " + a.namespace() + "/" + a.name();
        return events
                .flatMap(new RetentionInput(a, layout)).returns(TypeInformation.of(RetentionEvent.class))
                .name(name + ": cohort and return").uid(PipelineGraph.uid(a, "match"))
                .keyBy(e -> e.actor, Types.STRING)
                .process(new RetentionMembers(a)).returns(TypeInformation.of(MemberUpdate.class))
                .name(name + ": members").uid(PipelineGraph.uid(a, "members"))
                .keyBy(u -> u.row, Types.STRING)
                .process(new RetentionRows(a, provisional)).returns(TypeInformation.of(RetentionRow.class))
                .name(name + ": cohorts").uid(PipelineGraph.uid(a, "cohorts"));
    }
}
