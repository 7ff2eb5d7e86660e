package dev.pulse.pipeline;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.EventLayout;
import dev.pulse.pipeline.metric.MetricInput;
import dev.pulse.pipeline.metric.MetricRow;
import dev.pulse.pipeline.metric.MetricWindowProcess;
import dev.pulse.pipeline.metric.Observation;
import dev.pulse.pipeline.metric.ObservationSerializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The part of the job that streaming and replay share: the parsed events fanned out to every
 * analysis of the plan. Every operator's uid starts with its analysis's id, so changing one
 * analysis (a new id) and restoring from a savepoint keeps the state of all the others.
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

    /** Whether this pipeline computes the analysis (Metrics; funnels and retention come later). */
    public static boolean supports(AnalysisPlan plan) {
        return "Metric".equals(plan.kind());
    }

    /**
     * Adds every supported analysis of the plan over the well-formed events.
     *
     * @param provisional whether open windows emit provisional rows every emitEvery (streaming)
     */
    public static List<MetricOutput> metrics(DataStream<Event> events, PipelinePlan plan, EventLayout layout, boolean provisional) {
        List<MetricOutput> outputs = new ArrayList<>();
        for (AnalysisPlan a : plan.analyses()) {
            if (!supports(a)) {
                continue;
            }
            DataStream<Observation> observations = events
                    .flatMap(new MetricInput(a, layout)).returns(ObservationSerializer.TYPE)
                    .name(a.kind() + " " + a.namespace() + "/" + a.name() + ": filter").uid(uid(a, "input"));
            SingleOutputStreamOperator<MetricRow> rows = observations
                    .keyBy(o -> o.key, Types.STRING)
                    .process(new MetricWindowProcess(a, provisional)).returns(TypeInformation.of(MetricRow.class))
                    .name(a.kind() + " " + a.namespace() + "/" + a.name() + ": windows").uid(uid(a, "windows"));
            outputs.add(new MetricOutput(a, rows, rows.getSideOutput(MetricWindowProcess.lateOutput(a))));
        }
        return outputs;
    }
}
