package dev.pulse.pipeline.anomaly;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.PipelineGraph;
import dev.pulse.pipeline.metric.DimensionKey;
import dev.pulse.pipeline.metric.MetricRow;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Anomaly detection over a Metric's final rows, one series per combination of dimension values. */
public final class AnomalyGraph {
    private AnomalyGraph() {
    }

    public static DataStream<AnomalyRow> add(DataStream<MetricRow> rows, AnalysisPlan a, boolean streaming) {
        return rows
                .keyBy(r -> DimensionKey.encode(r.dimensions), Types.STRING)
                .process(new AnomalyProcess(a, streaming)).returns(TypeInformation.of(AnomalyRow.class))
                .name(a.kind() + " " + a.namespace() + "/" + a.name() + ": anomalies").uid(PipelineGraph.uid(a, "anomalies"));
    }
}
