package dev.pulse.pipeline.anomaly;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.metric.MetricRow;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Judges each final row of a Metric's series (the key: its dimension values) with the
 * {@link AnomalyDetector}. In streaming, a row whose window ended more than
 * max(2 windows, {@value #CATCH_UP_FLOOR_MS} ms) before the wall clock is from a pipeline
 * catching up: it joins the history but raises nothing.
 */
public final class AnomalyProcess extends KeyedProcessFunction<String, MetricRow, AnomalyRow> {
    private static final long serialVersionUID = 1L;
    static final long CATCH_UP_FLOOR_MS = 120_000;
    private final AnomalyDetector detector;
    private final boolean streaming;
    private final long catchUpMs;
    private transient ValueState<SeriesHistory> history;

    public AnomalyProcess(AnalysisPlan plan, boolean streaming) {
        this.detector = new AnomalyDetector(plan.metric().anomaly());
        this.streaming = streaming;
        this.catchUpMs = Math.max(2 * plan.window().sizeMs(), CATCH_UP_FLOOR_MS);
    }

    @Override
    public void open(OpenContext context) {
        history = getRuntimeContext().getState(new ValueStateDescriptor<>("series", TypeInformation.of(SeriesHistory.class)));
    }

    @Override
    public void processElement(MetricRow row, Context ctx, Collector<AnomalyRow> out) throws Exception {
        if (!row.finalResult || row.value == null || row.value.isNaN()) {
            return;
        }
        SeriesHistory h = history.value();
        if (h == null) {
            h = new SeriesHistory();
        }
        Optional<Anomaly> found = detector.observe(h, row.windowStart, row.value);
        history.update(h);
        boolean catchingUp = streaming && ctx.timerService().currentProcessingTime() - row.windowEnd > catchUpMs;
        if (found.isPresent() && !catchingUp) {
            Anomaly a = found.get();
            AnomalyRow r = new AnomalyRow();
            r.windowStart = row.windowStart;
            r.windowEnd = row.windowEnd;
            r.dimensions = row.dimensions;
            r.observed = a.observed();
            r.expected = a.expected();
            r.lower = a.lower();
            r.upper = a.upper();
            r.score = a.score();
            out.collect(r);
        }
    }
}
