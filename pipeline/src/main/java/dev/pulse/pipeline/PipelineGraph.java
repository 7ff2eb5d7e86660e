package dev.pulse.pipeline;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.anomaly.AnomalyGraph;
import dev.pulse.pipeline.anomaly.AnomalyRow;
import dev.pulse.pipeline.backfill.VersionInputs;
import dev.pulse.pipeline.funnel.FunnelGraph;
import dev.pulse.pipeline.retention.RetentionGraph;
import dev.pulse.pipeline.retention.RetentionEvent;
import dev.pulse.pipeline.retention.RetentionRow;
import dev.pulse.pipeline.event.EventLayout;
import dev.pulse.pipeline.metric.MetricInput;
import dev.pulse.pipeline.metric.MetricRow;
import dev.pulse.pipeline.metric.MetricWindowProcess;
import dev.pulse.pipeline.metric.Observation;
import dev.pulse.pipeline.metric.ObservationSerializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The part of the job that streaming and replay share: the parsed events fanned out to every
 * analysis of the plan (each version reading what {@link VersionInputs} gives it). Every
 * operator's uid starts with its analysis's id, so changing one analysis (a new id) and restoring
 * from a savepoint keeps the state of all the others.
 */
public final class PipelineGraph {
    private PipelineGraph() {
    }

    /** One Metric's outputs: its result rows and its late events. */
    public record MetricOutput(AnalysisPlan plan, DataStream<MetricRow> rows, DataStream<Observation> late) {
    }

    /** The uid of an analysis's operator. */
    public static String uid(AnalysisPlan plan, String operator) {
        return plan.id() + "/" + operator;
    }

    /** Every Funnel of the plan over the well-formed events. */
    public static List<FunnelGraph.Output> funnels(VersionInputs events, PipelinePlan plan, EventLayout layout, boolean provisional) {
        List<FunnelGraph.Output> outputs = new ArrayList<>();
        for (AnalysisPlan a : plan.analyses()) {
            if (a.funnel() != null) {
                outputs.add(FunnelGraph.add(events.of(a), layout, provisional));
            }
        }
        return outputs;
    }

    /** One Retention's outputs: its rows and its late events. */
    public record RetentionOutput(AnalysisPlan plan, DataStream<RetentionRow> rows, DataStream<RetentionEvent> late) {
    }

    /** Every Retention of the plan over the well-formed events. */
    public static List<RetentionOutput> retentions(VersionInputs events, PipelinePlan plan, EventLayout layout, boolean provisional) {
        List<RetentionOutput> outputs = new ArrayList<>();
        for (AnalysisPlan a : plan.analyses()) {
            if (a.retention() != null) {
                RetentionGraph.Output r = RetentionGraph.add(events.of(a), layout, provisional);
                outputs.add(new RetentionOutput(a, r.rows(), r.late()));
            }
        }
        return outputs;
    }

    /** The anomalies of a Metric with anomaly detection, or null when it has none. */
    public static DataStream<AnomalyRow> anomalies(MetricOutput metric, boolean streaming) {
        return metric.plan().metric().anomaly() == null ? null : AnomalyGraph.add(metric.rows(), metric.plan(), streaming);
    }

    /**
     * Adds every Metric of the plan over the well-formed events.
     *
     * @param provisional whether open windows emit provisional rows every emitEvery (streaming)
     */
    public static List<MetricOutput> metrics(VersionInputs events, PipelinePlan plan, EventLayout layout, boolean provisional) {
        List<MetricOutput> outputs = new ArrayList<>();
        for (AnalysisPlan a : plan.analyses()) {
            if (a.metric() == null) {
                continue;
            }
            String name = a.kind() + " " + a.namespace() + "/" + a.name();
            SingleOutputStreamOperator<MetricRow> rows = events.of(a)
                    .flatMap(new MetricInput(a, layout), ObservationSerializer.TYPE, name + ": filter", "input")
                    .process(o -> o.key, new MetricWindowProcess(a, provisional), TypeInformation.of(MetricRow.class),
                            name + ": windows", "windows");
            outputs.add(new MetricOutput(a, rows, rows.getSideOutput(MetricWindowProcess.lateOutput(a))));
        }
        return outputs;
    }
}
