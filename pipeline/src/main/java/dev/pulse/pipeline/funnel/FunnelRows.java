package dev.pulse.pipeline.funnel;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.v1alpha1.funnel.FunnelSpec;
import dev.pulse.pipeline.backfill.HandOver;
import dev.pulse.pipeline.metric.DimensionKey;
import dev.pulse.pipeline.metric.ProvisionalEmission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts one funnel row (the key: reporting window start and breakdown values) from the levels
 * of its attempts: per step, attempts at or above it ({@code totals}) or distinct actors whose
 * best attempt is ({@code uniques}). Final once the watermark passes window end +
 * conversionWindow + allowedLateness, when every attempt that started in the window has closed;
 * provisional rows every emitEvery before that, when provisional results are on. A reporting
 * window that starts before a pinned version's first complete time ({@link HandOver}) is emitted
 * as provisional at that point instead, and dropped as usual.
 */
public final class FunnelRows extends KeyedProcessFunction<String, AttemptUpdate, FunnelRow> {
    private static final long serialVersionUID = 1L;
    private final int stepCount;
    private final boolean uniques;
    private final long windowMs;
    private final long conversionWindowMs;
    private final long lateness;
    private final ProvisionalEmission provisional;
    private final int dimensionCount;
    private final long finalFromMs;
    /** attempt (actor and start) → {level, conversion ms} */
    private transient MapState<String, long[]> attempts;

    public FunnelRows(AnalysisPlan plan, boolean provisional) {
        this.stepCount = plan.funnel().steps().size();
        this.uniques = plan.funnel().countBy() == FunnelSpec.CountBy.uniques;
        this.windowMs = plan.window().sizeMs();
        this.conversionWindowMs = plan.funnel().conversionWindowMs();
        this.lateness = plan.allowedLatenessMs();
        this.provisional = new ProvisionalEmission(plan, provisional);
        this.dimensionCount = plan.dimensions().size();
        this.finalFromMs = HandOver.finalFromMs(plan);
    }

    @Override
    public void open(OpenContext context) {
        attempts = getRuntimeContext().getMapState(new MapStateDescriptor<>("attempts", Types.STRING,
                TypeInformation.of(long[].class)));
        provisional.open(getRuntimeContext());
    }

    @Override
    public void processElement(AttemptUpdate u, Context ctx, Collector<FunnelRow> out) throws Exception {
        boolean first = attempts.isEmpty();
        if (u.level == 0) {
            attempts.remove(u.actor + "\u0000" + u.start); // a disqualified attempt counts nowhere
            return;
        }
        attempts.put(u.actor + "\u0000" + u.start, new long[] {u.level, u.conversionMs});
        if (first) {
            long windowStart = Math.floorDiv(u.start, windowMs) * windowMs;
            ctx.timerService().registerEventTimeTimer(windowStart + windowMs - 1 + conversionWindowMs + lateness);
        }
        provisional.changed(ctx.timerService());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FunnelRow> out) throws Exception {
        if (attempts.isEmpty() || !provisional.due(ctx.timeDomain())) {
            return;
        }
        boolean closed = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        FunnelRow r = row(ctx.getCurrentKey(), closed);
        r.finalResult = closed && r.windowStart >= finalFromMs;
        out.collect(r);
        if (closed) {
            attempts.clear();
        }
        provisional.emitted();
    }

    private FunnelRow row(String key, boolean isFinal) throws Exception {
        String[] parts = DimensionKey.decode(key, dimensionCount + 1);
        FunnelRow r = new FunnelRow();
        r.windowStart = Long.parseLong(parts[0]);
        r.windowEnd = r.windowStart + windowMs;
        r.dimensions = Arrays.copyOfRange(parts, 1, parts.length);
        r.counts = new long[stepCount];
        List<Long> conversions = new ArrayList<>();
        Map<String, Integer> best = uniques ? new HashMap<>() : null;
        for (Map.Entry<String, long[]> e : attempts.entries()) {
            int level = (int) e.getValue()[0];
            if (e.getValue()[1] >= 0) {
                conversions.add(e.getValue()[1]);
            }
            if (uniques) {
                String actor = e.getKey().substring(0, e.getKey().indexOf('\u0000'));
                best.merge(actor, level, Math::max);
            } else {
                for (int k = 0; k < level; k++) {
                    r.counts[k]++;
                }
            }
        }
        if (uniques) {
            for (int level : best.values()) {
                for (int k = 0; k < level; k++) {
                    r.counts[k]++;
                }
            }
        }
        if (!conversions.isEmpty()) {
            conversions.sort(Long::compare);
            int n = conversions.size();
            r.medianConversionMs = n % 2 == 1 ? conversions.get(n / 2) : (conversions.get(n / 2 - 1) + conversions.get(n / 2)) / 2;
        }
        r.finalResult = isFinal;
        return r;
    }
}
