package dev.pulse.pipeline.funnel;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.backfill.HandOver;
import dev.pulse.pipeline.groups.InputOrder;
import dev.pulse.pipeline.late.LatenessJudge;
import dev.pulse.pipeline.metric.DimensionKey;
import dev.pulse.api.plan.DeadLetters;
import dev.pulse.pipeline.types.PendingEvents;
import dev.pulse.pipeline.types.StateLayout;
import java.util.Comparator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs the {@link FunnelMatcher} over each actor's events (the key) in event-time order.
 *
 * <p>Events wait in state until the watermark, less {@code allowedLateness}, passes their time;
 * then they are taken in order (time, lowest step, arrival). An event that arrives after that
 * point for its time is late: counted and sent to the late output. An attempt therefore closes
 * for good once the watermark passes its first event + conversionWindow + allowedLateness, and
 * the per-actor state is at most the events of one conversion window plus the open attempt.
 *
 * <p>A version the operator pinned judges lateness by its hand-over ({@link HandOver}): history
 * events are never late, live ones are late against their source's watermark too. While its
 * history is read the watermark stays at its minimum, so every event waits in state until the
 * read is complete. Lateness is judged as for every kind ({@link LatenessJudge}), also right
 * after a restore: an event late before it is never taken into an attempt whose row is final.
 *
 * <p>Per actor, one event-time timer is registered at a time, at the earliest point the actor has
 * something to do (its earliest pending event + allowedLateness, or its open attempt's deadline +
 * allowedLateness); when it fires, every event the watermark has passed is taken at once, in order,
 * from the sorted buffer ({@link PendingEvents}). That gives the same attempts as taking them at
 * one timer per event: an event after an attempt's conversion window closes it as the watermark would.
 */
public final class FunnelAttempts extends LatenessJudge<FunnelEvent, AttemptUpdate> {
    private static final long serialVersionUID = 1L;
    private final FunnelMatcher matcher;
    private final long windowMs;
    private final boolean provisional;
    private final String analysis;
    private final Comparator<FunnelEvent> order;
    private transient ValueState<PendingEvents<FunnelEvent>> pending;
    private transient ValueState<FunnelProgress> progress;

    public FunnelAttempts(AnalysisPlan plan, boolean provisional) {
        super(plan, lateOutput(plan));
        this.matcher = new FunnelMatcher(plan.funnel());
        this.windowMs = plan.window().sizeMs();
        this.provisional = provisional;
        this.analysis = DeadLetters.analysis(plan);
        FunnelMatcher m = matcher;
        this.order = (Comparator<FunnelEvent> & java.io.Serializable) (a, b) -> {
            int c = Long.compare(a.time, b.time);
            if (c == 0) {
                c = Integer.compare(m.rank(a.steps), m.rank(b.steps));
            }
            return c != 0 ? c : Long.compare(a.sequence, b.sequence);
        };
    }

    public static OutputTag<FunnelEvent> lateOutput(AnalysisPlan plan) {
        return new OutputTag<>("late-" + plan.id(), FunnelTypes.EVENT);
    }

    @Override
    public void open(OpenContext context) throws Exception {
        super.open(context);
        pending = StateLayout.register(analysis, "pending",
                () -> getRuntimeContext().getState(new ValueStateDescriptor<>("pending", FunnelTypes.PENDING)));
        progress = StateLayout.register(analysis, "attempt",
                () -> getRuntimeContext().getState(new ValueStateDescriptor<>("attempt", FunnelTypes.PROGRESS)));
    }

    @Override
    public void processElement(FunnelEvent e, Context ctx, Collector<AttemptUpdate> out) throws Exception {
        long watermark = judgeAgainst(ctx, e.history, e.sourceWatermark);
        if (watermark != Long.MIN_VALUE && e.time + lateness <= watermark) {
            late(ctx, e);
            return;
        }
        pending.update(PendingEvents.add(pending.value(), e, order, e.time + lateness, ctx.timerService()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AttemptUpdate> out) throws Exception {
        see(ctx);
        long watermark = ctx.timerService().currentWatermark();
        long upTo = watermark - lateness;
        PendingEvents<FunnelEvent> events = pending.value();
        FunnelProgress p = progress.value();
        if (p == null) {
            p = new FunnelProgress();
        }
        String actor = ctx.getCurrentKey();
        int levelBefore = p.isOpen() ? p.level() : 0;
        long startBefore = p.start();
        String[] dimensionsBefore = p.dimensions();
        long orderBefore = p.order;
        boolean[] closedBefore = {false};
        java.util.function.Consumer<FunnelAttempt> closed = a -> {
            closedBefore[0] |= a.start() == startBefore;
            out.collect(update(actor, a.start(), a.dimensions(), a.level(), a.convertedAt(), true, a.order()));
        };
        int taken = 0;
        if (events != null) {
            while (taken < events.size() && events.get(taken).time <= upTo) {
                FunnelEvent e = events.get(taken++);
                matcher.onEvent(p, e.time, e.steps, e.exclusions, e.dimensions, InputOrder.of(e.source, e.sequence), closed);
            }
            events.removeFirst(taken);
        }
        matcher.onWatermark(p, upTo, closed);
        if (!provisional && watermark == Long.MAX_VALUE) {
            // the end of a replay's input (batch mode fires no timer registered while timers fire)
            matcher.finish(p, closed);
        }
        if (provisional && startBefore >= 0 && !closedBefore[0] && p.start() != startBefore) {
            // the attempt open before was disqualified: take back its provisional level
            out.collect(update(actor, startBefore, dimensionsBefore, 0, -1, true, orderBefore));
        }
        long next = Long.MAX_VALUE;
        if (p.isOpen()) {
            if (provisional && (p.start() != startBefore || p.level() != levelBefore)) {
                out.collect(update(actor, p.start(), p.dimensions(), p.level(), -1, false, p.order));
            }
            next = p.deadline(matcher.conversionWindowMs()) + lateness;
            progress.update(p);
        } else {
            progress.clear();
        }
        if (events != null && !events.isEmpty()) {
            next = Math.min(next, events.first().time + lateness);
        }
        if (next != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(next);
        }
        if (next == Long.MAX_VALUE && (events == null || events.isEmpty())) {
            pending.clear();
        } else {
            if (events == null) {
                events = new PendingEvents<>();
            }
            events.timer = next;
            pending.update(events);
        }
    }

    private AttemptUpdate update(String actor, long start, String[] dimensions, int level, long convertedAt, boolean closed, long order) {
        AttemptUpdate u = new AttemptUpdate();
        u.order = order;
        u.actor = actor;
        u.start = start;
        u.dimensions = dimensions;
        u.level = level;
        u.conversionMs = convertedAt < 0 ? -1 : convertedAt - start;
        u.closed = closed;
        u.row = DimensionKey.row(Math.floorDiv(start, windowMs) * windowMs, dimensions);
        return u;
    }
}
