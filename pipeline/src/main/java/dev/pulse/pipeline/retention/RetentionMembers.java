package dev.pulse.pipeline.retention;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.backfill.HandOver;
import dev.pulse.pipeline.groups.InputOrder;
import dev.pulse.pipeline.late.LatenessJudge;
import dev.pulse.pipeline.metric.DimensionKey;
import dev.pulse.api.plan.DeadLetters;
import dev.pulse.pipeline.types.PendingEvents;
import dev.pulse.pipeline.types.StateLayout;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
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
 *
 * <p>Per actor, one event-time timer is registered at a time, at the earliest point the actor has
 * something to do (its earliest pending event + allowedLateness, or the end of its last period +
 * allowedLateness). When it fires, the actor's events are taken from the sorted buffer
 * ({@link PendingEvents}) in the steps one timer per event would take them (one step per distinct
 * event time + allowedLateness up to the watermark, and the settling step), and each step that
 * changes the membership emits its update, stamped with that step's time ({@link MemberUpdate#at}),
 * as before. An on-time event of an actor that is already a member and that could not change it
 * ({@link RetentionTracker#couldChange}) is dropped on arrival, without a buffer entry or a timer.
 */
public final class RetentionMembers extends LatenessJudge<RetentionEvent, MemberUpdate> {
    private static final long serialVersionUID = 1L;
    static final int MEMBERSHIP_TTL_DAYS = 400;
    private static final Comparator<RetentionEvent> BY_TIME = (Comparator<RetentionEvent> & java.io.Serializable)
            (a, b) -> Long.compare(a.time, b.time);
    private final RetentionTracker tracker;
    private final String analysis;
    private transient ValueState<PendingEvents<RetentionEvent>> pending;
    private transient ValueState<RetentionMember> member;

    public RetentionMembers(AnalysisPlan plan) {
        super(plan, lateOutput(plan));
        this.tracker = new RetentionTracker(plan.retention());
        this.analysis = DeadLetters.analysis(plan);
    }

    /** The side output of a retention's late events. */
    public static OutputTag<RetentionEvent> lateOutput(AnalysisPlan plan) {
        return new OutputTag<>("late-" + plan.id(), RetentionTypes.EVENT);
    }

    @Override
    public void open(OpenContext context) throws Exception {
        super.open(context);
        pending = StateLayout.register(analysis, "pending",
                () -> getRuntimeContext().getState(new ValueStateDescriptor<>("pending", RetentionTypes.PENDING)));
        ValueStateDescriptor<RetentionMember> d = new ValueStateDescriptor<>("member", RetentionTypes.MEMBER);
        // on the heap backend Flink's default walks 5 more entries at every access of the state to
        // drop expired ones: a third of this operator's time in a profile (docs/benchmarks.md); one
        // entry per access still sweeps the whole table many times over a membership's 400 days
        d.enableTimeToLive(StateTtlConfig.newBuilder(java.time.Duration.ofDays(MEMBERSHIP_TTL_DAYS))
                .cleanupIncrementally(1, false).build());
        member = StateLayout.register(analysis, "member", () -> getRuntimeContext().getState(d));
    }

    @Override
    public void processElement(RetentionEvent e, Context ctx, Collector<MemberUpdate> out) throws Exception {
        long watermark = judgeAgainst(ctx, e.history, e.sourceWatermark);
        if (watermark != Long.MIN_VALUE && e.time + lateness <= watermark) {
            late(ctx, e);
            return;
        }
        RetentionMember m = member.value();
        if (m != null && m.isMember() && !tracker.couldChange(m, e.time, e.returning)) {
            // a member's cohort time is fixed (an event before it would be late), so this event
            // changes nothing: not buffered, no timer (most events of a member, e.g. its later cohort events)
            return;
        }
        pending.update(PendingEvents.add(pending.value(), e, BY_TIME, e.time + lateness, ctx.timerService()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MemberUpdate> out) throws Exception {
        see(ctx);
        long watermark = ctx.timerService().currentWatermark();
        PendingEvents<RetentionEvent> events = pending.value();
        if (events == null) {
            events = new PendingEvents<>();
        }
        RetentionMember m = member.value();
        if (m == null) {
            m = new RetentionMember();
        }
        long next;
        while ((next = next(events, m)) != Long.MAX_VALUE && next <= watermark) {
            step(next, events, m, ctx, out);
        }
        if (next != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(next);
        }
        if (next == Long.MAX_VALUE && events.isEmpty()) {
            pending.clear();
        } else {
            events.timer = next;
            pending.update(events);
        }
        member.update(m.isMember() ? m : null);
    }

    /** When the actor next has something to do: its earliest pending event's time or its settling time, + allowedLateness. */
    private long next(PendingEvents<RetentionEvent> events, RetentionMember m) {
        if (m.isMember() && m.retained == null) {
            return Long.MAX_VALUE; // settled
        }
        long next = events.isEmpty() ? Long.MAX_VALUE : events.first().time + lateness;
        return m.isMember() ? Math.min(next, tracker.settledAt(m) + lateness) : next;
    }

    /** Takes the events up to {@code at} - allowedLateness, as one timer at {@code at} would. */
    private void step(long at, PendingEvents<RetentionEvent> events, RetentionMember m, OnTimerContext ctx,
            Collector<MemberUpdate> out) {
        long upTo = at - lateness;
        long[] before = m.retained == null ? null : m.retained.clone();
        boolean joined = false;
        int taken = 0;
        while (taken < events.size() && events.get(taken).time <= upTo) {
            RetentionEvent e = events.get(taken++);
            if (tracker.onEvent(m, e.time, e.cohort, e.returning, e.dimensions)) {
                joined = true;
                m.order = InputOrder.of(e.source, e.position);
            }
        }
        events.removeFirst(taken);
        if (m.isMember() && (joined || !Arrays.equals(before, m.retained))) {
            MemberUpdate u = new MemberUpdate();
            u.actor = ctx.getCurrentKey();
            u.cohortStart = tracker.cohortStart(m.cohortTime);
            u.dimensions = m.dimensions;
            u.retained = m.retained.clone();
            u.at = at;
            u.order = m.order;
            u.row = DimensionKey.row(u.cohortStart, m.dimensions);
            out.collect(u);
        }
        if (m.isMember() && upTo >= tracker.settledAt(m)) {
            m.dimensions = null;
            m.retained = null;
            events.clear();
        }
    }
}
