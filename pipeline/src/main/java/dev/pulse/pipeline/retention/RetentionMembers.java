package dev.pulse.pipeline.retention;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.backfill.HandOver;
import dev.pulse.pipeline.groups.InputOrder;
import dev.pulse.pipeline.late.LatenessJudge;
import dev.pulse.pipeline.metric.DimensionKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs the {@link RetentionTracker} over each actor's events (the key) in event-time order:
 * events wait until the watermark, less {@code allowedLateness}, passes their time, and are then
 * taken in time order. An event that arrives after that point for its time is late: counted in
 * {@code lateEvents}, sent to {@link #lateOutput} and never applied (so it can neither make an
 * actor a member of a cohort whose row is final nor change such a row). Once the actor's last
 * period has passed ({@code t0 + (periods+1)·period}) only its cohort time is kept (so it joins no
 * second cohort), and that expires after {@value #MEMBERSHIP_TTL_DAYS} days without access.
 *
 * <p>Lateness is judged as for every kind ({@link LatenessJudge}): right after a restore a late
 * event is still late, and a pinned version follows its hand-over ({@link HandOver}).
 */
public final class RetentionMembers extends LatenessJudge<RetentionEvent, MemberUpdate> {
    private static final long serialVersionUID = 1L;
    static final int MEMBERSHIP_TTL_DAYS = 400;
    private final RetentionTracker tracker;
    private transient ListState<RetentionEvent> pending;
    private transient ValueState<RetentionMember> member;

    public RetentionMembers(AnalysisPlan plan) {
        super(plan, lateOutput(plan));
        this.tracker = new RetentionTracker(plan.retention());
    }

    /** The side output of a retention's late events. */
    public static OutputTag<RetentionEvent> lateOutput(AnalysisPlan plan) {
        return new OutputTag<>("late-" + plan.id(), TypeInformation.of(RetentionEvent.class));
    }

    @Override
    public void open(OpenContext context) throws Exception {
        super.open(context);
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending", TypeInformation.of(RetentionEvent.class)));
        ValueStateDescriptor<RetentionMember> d = new ValueStateDescriptor<>("member", TypeInformation.of(RetentionMember.class));
        d.enableTimeToLive(StateTtlConfig.newBuilder(java.time.Duration.ofDays(MEMBERSHIP_TTL_DAYS)).build());
        member = getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(RetentionEvent e, Context ctx, Collector<MemberUpdate> out) throws Exception {
        long watermark = judgeAgainst(ctx, e.history, e.sourceWatermark);
        if (watermark != Long.MIN_VALUE && e.time + lateness <= watermark) {
            late(ctx, e);
            return;
        }
        RetentionMember m = member.value();
        if (m != null && m.isMember() && m.retained == null) {
            return; // settled: nothing can change any more
        }
        pending.add(e);
        ctx.timerService().registerEventTimeTimer(e.time + lateness);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MemberUpdate> out) throws Exception {
        see(ctx);
        long upTo = timestamp - lateness;
        List<RetentionEvent> due = new ArrayList<>();
        List<RetentionEvent> later = new ArrayList<>();
        for (RetentionEvent e : pending.get()) {
            (e.time <= upTo ? due : later).add(e);
        }
        pending.update(later);
        RetentionMember m = member.value();
        if (m == null) {
            m = new RetentionMember();
        }
        if (m.isMember() && m.retained == null) {
            return;
        }
        due.sort(Comparator.comparingLong(e -> e.time));
        long[] before = m.retained == null ? null : m.retained.clone();
        boolean joined = false;
        for (RetentionEvent e : due) {
            if (tracker.onEvent(m, e.time, e.cohort, e.returning, e.dimensions)) {
                joined = true;
                m.order = InputOrder.of(e.source, e.position);
            }
        }
        if (m.isMember() && (joined || !Arrays.equals(before, m.retained))) {
            MemberUpdate u = new MemberUpdate();
            u.actor = ctx.getCurrentKey();
            u.cohortStart = tracker.cohortStart(m.cohortTime);
            u.dimensions = m.dimensions;
            u.retained = m.retained.clone();
            u.at = timestamp;
            u.order = m.order;
            u.row = DimensionKey.row(u.cohortStart, m.dimensions);
            out.collect(u);
        }
        if (joined) {
            ctx.timerService().registerEventTimeTimer(tracker.settledAt(m) + lateness);
        }
        if (m.isMember() && upTo >= tracker.settledAt(m)) {
            m.dimensions = null;
            m.retained = null;
            pending.clear();
        }
        member.update(m.isMember() ? m : null);
    }

}
