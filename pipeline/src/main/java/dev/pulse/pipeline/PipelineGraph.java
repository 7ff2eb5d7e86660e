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
import dev.pulse.pipeline.backfill.VersionStream;
import dev.pulse.pipeline.groups.GroupLimit;
import dev.pulse.pipeline.groups.InputOrder;
import dev.pulse.pipeline.metric.MetricGroups;
import dev.pulse.pipeline.metric.MetricInput;
import dev.pulse.pipeline.metric.MetricRow;
import dev.pulse.pipeline.metric.MetricWindowProcess;
import dev.pulse.pipeline.metric.Observation;
import dev.pulse.pipeline.metric.ObservationSerializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
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
     * Adds every Metric of the plan over the well-formed events. A Metric with dimensions bounds
     * them per period first ({@link GroupLimit}, docs/semantics.md "Cardinality").
     *
     * @param provisional whether open windows emit provisional rows every emitEvery (streaming);
     *     false in a replay (batch mode), where the group limit decides in input order
     */
    public static List<MetricOutput> metrics(VersionInputs events, PipelinePlan plan, EventLayout layout, boolean provisional) {
        List<MetricOutput> outputs = new ArrayList<>();
        for (AnalysisPlan a : plan.analyses()) {
            if (a.metric() == null) {
                continue;
            }
            String name = a.kind() + " " + a.namespace() + "/" + a.name();
            VersionStream<Observation> observations = events.of(a)
                    .flatMap(new MetricInput(a, layout), ObservationSerializer.TYPE, name + ": filter", "input");
            MetricWindowProcess windows = new MetricWindowProcess(a, provisional);
            SingleOutputStreamOperator<MetricRow> rows;
            if (a.dimensions().isEmpty()) {
                rows = observations.process(o -> o.key, windows, TypeInformation.of(MetricRow.class), name + ": windows", "windows");
            } else {
                MetricGroups groups = new MetricGroups(a);
                rows = limitGroups(inInputOrder(observations, provisional, (o, ts) -> InputOrder.of(o.source, o.position)), groups::period,
                        new GroupLimit<>(a, groups), ObservationSerializer.TYPE, name)
                        .keyBy(o -> o.key, Types.STRING)
                        .process(windows).returns(TypeInformation.of(MetricRow.class))
                        .name(name + ": windows").uid(uid(a, "windows"));
            }
            outputs.add(new MetricOutput(a, rows, rows.getSideOutput(MetricWindowProcess.lateOutput(a))));
        }
        return outputs;
    }

    /**
     * The analysis's group limit ({@link GroupLimit}), keyed by period: its first keyed operator
     * when it is a Metric's (over the live side and history), uid {@code <id>/groups}.
     */
    static <T> SingleOutputStreamOperator<T> limitGroups(VersionStream<T> records, KeySelector<T, Long> period, GroupLimit<T> limit,
            TypeInformation<T> type, String name) {
        return records.process(period, Types.LONG, limit, type, name + ": group limit", "groups");
    }

    /**
     * In a replay (no provisional rows: Flink's batch mode), the records stamped with their input
     * order, which the sorted input of the next keyed operator keeps within each key; in
     * streaming, the records as they are.
     */
    static <T> VersionStream<T> inInputOrder(VersionStream<T> records, boolean provisional, SerializableTimestampAssigner<T> order) {
        if (provisional) {
            return records;
        }
        DataStream<T> live = records.live().assignTimestampsAndWatermarks(WatermarkStrategy.<T>noWatermarks().withTimestampAssigner(order))
                .name(records.plan().name() + ": input order").uid(uid(records.plan(), "input-order"));
        return new VersionStream<>(records.plan(), live, records.history());
    }
}
