package dev.pulse.pipeline.metric;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.pipeline.backfill.HandOver;
import dev.pulse.pipeline.late.LatenessJudge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Aggregates one Metric per group (the key) and window.
 *
 * <p>A window {@code [start, end)} is final once the watermark reaches {@code end - 1 +
 * allowedLateness} (Flink's "watermark passed"), when its final row is emitted and its state
 * dropped. Until then, and when provisional results are on, its row is re-emitted every
 * {@code emitEvery} (processing time, aligned) if it changed. An event that arrives for a window
 * already final is late: it is counted in {@code lateEvents} and sent to {@link #lateOutput}
 * once (it still counts in those of its windows that are not final yet, e.g. later hopping ones).
 *
 * <p>Lateness is judged as for every kind ({@link LatenessJudge}), with the watermark kept
 * through restores, so re-read events never reopen a window whose row is final. A version the
 * operator pinned follows its hand-over ({@link HandOver}), and a window that starts
 * before the version's first complete time is emitted as provisional when its time comes (and
 * dropped as usual), never as final.
 */
public final class MetricWindowProcess extends LatenessJudge<Observation, MetricRow> {
    private static final long serialVersionUID = 1L;
    private final AlignedWindows windows;
    private final AggregationType aggregation;
    private final double percentile;
    private final long emitEvery;
    private final int dimensionCount;
    private final long finalFromMs;
    private transient MapState<Long, MetricAccumulator> state;
    private transient long[] ends;

    /**
     * @param provisional whether to emit provisional rows every emitEvery (off in a replay)
     */
    public MetricWindowProcess(AnalysisPlan plan, boolean provisional) {
        super(plan, lateOutput(plan));
        this.windows = new AlignedWindows(plan.window());
        this.aggregation = plan.metric().aggregation();
        this.percentile = plan.metric().percentile() == null ? 0 : plan.metric().percentile();
        this.emitEvery = provisional && plan.emitEveryMs() > 0 ? plan.emitEveryMs() : 0;
        this.dimensionCount = plan.dimensions().size();
        this.finalFromMs = HandOver.finalFromMs(plan);
    }

    /** The side output of an analysis's late events. */
    public static OutputTag<Observation> lateOutput(AnalysisPlan plan) {
        return new OutputTag<>("late-" + plan.id(), ObservationSerializer.TYPE);
    }

    @Override
    public void open(OpenContext context) throws Exception {
        super.open(context);
        state = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("windows", LongSerializer.INSTANCE, MetricAccumulatorSerializer.INSTANCE));
        ends = new long[windows.maxWindows()];
    }

    @Override
    public void processElement(Observation o, Context ctx, Collector<MetricRow> out) throws Exception {
        long watermark = judgeAgainst(ctx, o.has(Observation.HISTORY), o.sourceWatermark);
        int n = windows.endsOf(o.time, ends);
        boolean late = false;
        boolean becameDirty = false;
        for (int i = 0; i < n; i++) {
            long end = ends[i];
            long finalAt = end - 1 + lateness;
            if (finalAt <= watermark) {
                late = true;
                continue;
            }
            MetricAccumulator a = state.get(end);
            if (a == null) {
                a = new MetricAccumulator();
                ctx.timerService().registerEventTimeTimer(finalAt);
            }
            a.add(aggregation, o);
            // a window turning dirty needs a provisional emission; one timer per key and interval
            becameDirty |= !a.dirty;
            a.dirty = true;
            state.put(end, a);
        }
        if (late) {
            late(ctx, o);
        }
        if (becameDirty && emitEvery > 0) {
            long now = ctx.timerService().currentProcessingTime();
            ctx.timerService().registerProcessingTimeTimer(now - Math.floorMod(now, emitEvery) + emitEvery);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricRow> out) throws Exception {
        see(ctx);
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            long end = timestamp + 1 - lateness;
            MetricAccumulator a = state.get(end);
            if (a != null) {
                out.collect(row(ctx.getCurrentKey(), end, a, windows.startOf(end) >= finalFromMs));
                state.remove(end);
            }
            return;
        }
        List<Map.Entry<Long, MetricAccumulator>> changed = new ArrayList<>();
        for (Map.Entry<Long, MetricAccumulator> e : state.entries()) {
            if (e.getValue().dirty) {
                changed.add(e);
            }
        }
        for (Map.Entry<Long, MetricAccumulator> e : changed) {
            MetricAccumulator a = e.getValue();
            a.dirty = false;
            out.collect(row(ctx.getCurrentKey(), e.getKey(), a, false));
            state.put(e.getKey(), a);
        }
    }

    private MetricRow row(String key, long end, MetricAccumulator a, boolean isFinal) {
        MetricRow r = new MetricRow();
        r.windowStart = windows.startOf(end);
        r.windowEnd = end;
        r.dimensions = DimensionKey.decode(key, dimensionCount);
        a.writeTo(r, aggregation, percentile);
        r.finalResult = isFinal;
        return r;
    }
}
