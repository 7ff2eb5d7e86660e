package dev.pulse.pipeline.funnel;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.PipelineGraph;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.EventLayout;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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

    public static Output add(DataStream<Event> events, AnalysisPlan a, EventLayout layout, boolean provisional) {
        String name = a.kind() + " " + a.namespace() + "/" + a.name();
        SingleOutputStreamOperator<AttemptUpdate> attempts = events
                .flatMap(new FunnelInput(a, layout)).returns(TypeInformation.of(FunnelEvent.class))
                .name(name + ": steps").uid(PipelineGraph.uid(a, "steps"))
                .keyBy(e -> e.actor, Types.STRING)
                .process(new FunnelAttempts(a, provisional)).returns(TypeInformation.of(AttemptUpdate.class))
                .name(name + ": attempts").uid(PipelineGraph.uid(a, "attempts"));
        DataStream<FunnelRow> rows = attempts
                .keyBy(u -> u.row, Types.STRING)
                .process(new FunnelRows(a, provisional)).returns(TypeInformation.of(FunnelRow.class))
                .name(name + ": rows").uid(PipelineGraph.uid(a, "rows"));
        return new Output(a, rows, attempts.getSideOutput(FunnelAttempts.lateOutput(a)));
    }
}
