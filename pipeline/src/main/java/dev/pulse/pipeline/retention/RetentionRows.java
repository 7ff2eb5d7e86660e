package dev.pulse.pipeline.retention;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.backfill.HandOver;
import dev.pulse.pipeline.metric.DimensionKey;
import dev.pulse.pipeline.metric.ProvisionalEmission;
import java.util.Arrays;
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
 * Counts one cohort row (the key: cohort start and breakdown values) from its members. A row is
 * emitted whenever a period becomes complete (an event-time timer per period) and, with
 * provisional results on, every emitEvery while it changes; it is final, and its state dropped,
 * once its last period is complete. A cohort that starts before a pinned version's first complete
 * time ({@link HandOver}) is never final: its last row is provisional, and its state dropped.
 *
 * <p>Members are taken {@code allowedLateness} after their events' time, so a period is complete
 * (and the row emitted) that much later. A member update taken after the row's final time (an
 * unbounded return after the last period was complete) is ignored: the final row never changes,
 * and a row that was final is never made again from the updates that follow it.
 *
 * <p>In a replay the watermark at the end is infinite, so the replay computes completeness itself
 * from the time of the last event ({@link #completeness}).
 */
public final class RetentionRows extends KeyedProcessFunction<String, MemberUpdate, RetentionRow> {
    private static final long serialVersionUID = 1L;
    private final RetentionTracker tracker;
    private final ProvisionalEmission provisional;
    private final int dimensionCount;
    private final long finalFromMs;
    private final long lateness;
    private transient MapState<String, long[]> members;

    public RetentionRows(AnalysisPlan plan, boolean provisional) {
        this.tracker = new RetentionTracker(plan.retention());
        this.provisional = new ProvisionalEmission(plan, provisional);
        this.dimensionCount = plan.dimensions().size();
        this.finalFromMs = HandOver.finalFromMs(plan);
        this.lateness = plan.allowedLatenessMs();
    }

    @Override
    public void open(OpenContext context) {
        members = getRuntimeContext().getMapState(new MapStateDescriptor<>("members", Types.STRING, TypeInformation.of(long[].class)));
        provisional.open(getRuntimeContext());
    }

    @Override
    public void processElement(MemberUpdate u, Context ctx, Collector<RetentionRow> out) throws Exception {
        if (u.at > completeAt(u.cohortStart, tracker.periods())) {
            return; // taken after the row was final
        }
        if (members.isEmpty()) {
            for (int k = 1; k <= tracker.periods(); k++) {
                ctx.timerService().registerEventTimeTimer(completeAt(u.cohortStart, k));
            }
        }
        members.put(u.actor, u.retained);
        provisional.changed(ctx.timerService());
    }

    private long completeAt(long cohortStart, int k) {
        return cohortStart + (tracker.bounded() ? k + 2L : k + 1L) * tracker.periodMs() + lateness;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RetentionRow> out) throws Exception {
        if (members.isEmpty() || !provisional.due(ctx.timeDomain())) {
            return;
        }
        boolean eventTime = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        long at = eventTime ? timestamp : ctx.timerService().currentWatermark();
        long watermark = at == Long.MIN_VALUE ? at : at - lateness; // the members' events taken so far
        RetentionRow r = row(ctx.getCurrentKey(), watermark);
        boolean last = eventTime && r.complete[r.complete.length - 1];
        r.finalResult = last && r.windowStart >= finalFromMs;
        out.collect(r);
        provisional.emitted();
        if (last) {
            members.clear();
        }
    }

    private RetentionRow row(String key, long watermark) throws Exception {
        String[] parts = DimensionKey.decode(key, dimensionCount + 1);
        RetentionRow r = new RetentionRow();
        r.windowStart = Long.parseLong(parts[0]);
        r.windowEnd = r.windowStart + tracker.periodMs();
        r.dimensions = Arrays.copyOfRange(parts, 1, parts.length);
        int periods = tracker.periods();
        r.retained = new long[periods];
        for (Map.Entry<String, long[]> e : members.entries()) {
            r.cohortSize++;
            for (int k = 1; k <= periods; k++) {
                if (RetentionMember.retainedIn(e.getValue(), k)) {
                    r.retained[k - 1]++;
                }
            }
        }
        r.complete = completeness(tracker, r.windowStart, watermark);
        return r;
    }

    /** Which periods of a cohort are complete at a watermark (period k at index k-1). */
    public static boolean[] completeness(RetentionTracker tracker, long cohortStart, long watermark) {
        boolean[] complete = new boolean[tracker.periods()];
        for (int k = 1; k <= complete.length; k++) {
            complete[k - 1] = tracker.isComplete(cohortStart, k, watermark);
        }
        return complete;
    }
}
