package dev.pulse.pipeline.late;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.DeadLetters;
import dev.pulse.pipeline.PipelineGraph;
import dev.pulse.pipeline.funnel.FunnelEvent;
import dev.pulse.pipeline.funnel.FunnelGraph;
import dev.pulse.pipeline.metric.Observation;
import dev.pulse.pipeline.retention.RetentionEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Every analysis's late events as {@link LateRecord}s, one per event and analysis it was late for
 * (an event late for two analyses is two records), for the stream's dead-letter topic.
 */
public final class LateRecords {
    private static final TypeInformation<LateRecord> TYPE = TypeInformation.of(LateRecord.class);

    private LateRecords() {
    }

    /** The late events of every analysis, in one stream, or null when there is no analysis. */
    public static DataStream<LateRecord> of(List<PipelineGraph.MetricOutput> metrics, List<FunnelGraph.Output> funnels,
            List<PipelineGraph.RetentionOutput> retentions) {
        List<DataStream<LateRecord>> all = new ArrayList<>();
        for (PipelineGraph.MetricOutput m : metrics) {
            all.add(m.late().map(new FromObservation(DeadLetters.analysis(m.plan()))).returns(TYPE)
                    .name(name(m.plan())).uid(PipelineGraph.uid(m.plan(), "late")));
        }
        for (FunnelGraph.Output f : funnels) {
            all.add(f.late().map(new FromFunnelEvent(DeadLetters.analysis(f.plan()))).returns(TYPE)
                    .name(name(f.plan())).uid(PipelineGraph.uid(f.plan(), "late")));
        }
        for (PipelineGraph.RetentionOutput r : retentions) {
            all.add(r.late().map(new FromRetentionEvent(DeadLetters.analysis(r.plan()))).returns(TYPE)
                    .name(name(r.plan())).uid(PipelineGraph.uid(r.plan(), "late")));
        }
        if (all.isEmpty()) {
            return null;
        }
        DataStream<LateRecord> union = all.get(0);
        if (all.size() > 1) {
            union = union.union(all.subList(1, all.size()).toArray(DataStream[]::new));
        }
        return union;
    }

    private static String name(AnalysisPlan plan) {
        return plan.kind() + " " + plan.namespace() + "/" + plan.name() + ": late events";
    }

    private record FromObservation(String analysis) implements MapFunction<Observation, LateRecord> {
        @Override
        public LateRecord map(Observation o) {
            return LateRecord.of(analysis, o.time, null, o.source, o.position);
        }
    }

    private record FromFunnelEvent(String analysis) implements MapFunction<FunnelEvent, LateRecord> {
        @Override
        public LateRecord map(FunnelEvent e) {
            return LateRecord.of(analysis, e.time, e.actor, e.source, e.sequence);
        }
    }

    private record FromRetentionEvent(String analysis) implements MapFunction<RetentionEvent, LateRecord> {
        @Override
        public LateRecord map(RetentionEvent e) {
            return LateRecord.of(analysis, e.time, e.actor, e.source, e.position);
        }
    }
}
