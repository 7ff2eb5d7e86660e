package dev.pulse.pipeline.funnel;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.backfill.HandOver;
import dev.pulse.pipeline.groups.InputOrder;
import dev.pulse.pipeline.late.LatenessJudge;
import dev.pulse.pipeline.metric.DimensionKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
 */
public final class FunnelAttempts extends LatenessJudge<FunnelEvent, AttemptUpdate> {
    private static final long serialVersionUID = 1L;
    private final FunnelMatcher matcher;
    private final long windowMs;
    private final boolean provisional;
    private transient ListState<FunnelEvent> pending;
    private transient ValueState<FunnelProgress> progress;

    public FunnelAttempts(AnalysisPlan plan, boolean provisional) {
        super(plan, lateOutput(plan));
        this.matcher = new FunnelMatcher(plan.funnel());
        this.windowMs = plan.window().sizeMs();
        this.provisional = provisional;
    }

    public static OutputTag<FunnelEvent> lateOutput(AnalysisPlan plan) {
        return new OutputTag<>("late-" + plan.id(), TypeInformation.of(FunnelEvent.class));
    }

    @Override
    public void open(OpenContext context) throws Exception {
        super.open(context);
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending", TypeInformation.of(FunnelEvent.class)));
        progress = getRuntimeContext().getState(new ValueStateDescriptor<>("attempt", TypeInformation.of(FunnelProgress.class)));
    }

    @Override
    public void processElement(FunnelEvent e, Context ctx, Collector<AttemptUpdate> out) throws Exception {
        long watermark = judgeAgainst(ctx, e.history, e.sourceWatermark);
        if (watermark != Long.MIN_VALUE && e.time + lateness <= watermark) {
            late(ctx, e);
            return;
        }
        pending.add(e);
        ctx.timerService().registerEventTimeTimer(e.time + lateness);
        if (!provisional) {
            // Flink's batch mode does not fire timers registered while timers fire: close what is
            // still open at the end of the input with a timer registered now.
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AttemptUpdate> out) throws Exception {
        see(ctx);
        long upTo = timestamp - lateness;
        List<FunnelEvent> due = new ArrayList<>();
        List<FunnelEvent> later = new ArrayList<>();
        for (FunnelEvent e : pending.get()) {
            (e.time <= upTo ? due : later).add(e);
        }
        due.sort(Comparator.<FunnelEvent>comparingLong(e -> e.time).thenComparingInt(e -> matcher.rank(e.steps))
                .thenComparingLong(e -> e.sequence));
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
        for (FunnelEvent e : due) {
            matcher.onEvent(p, e.time, e.steps, e.exclusions, e.dimensions, InputOrder.of(e.source, e.sequence), closed);
        }
        matcher.onWatermark(p, upTo, closed);
        if (timestamp == Long.MAX_VALUE) {
            matcher.finish(p, closed);
        }
        if (provisional && startBefore >= 0 && !closedBefore[0] && p.start() != startBefore) {
            // the attempt open before was disqualified: take back its provisional level
            out.collect(update(actor, startBefore, dimensionsBefore, 0, -1, true, orderBefore));
        }
        if (p.isOpen()) {
            if (provisional && (p.start() != startBefore || p.level() != levelBefore)) {
                out.collect(update(actor, p.start(), p.dimensions(), p.level(), -1, false, p.order));
            }
            ctx.timerService().registerEventTimeTimer(p.deadline(matcher.conversionWindowMs()) + lateness);
            progress.update(p);
        } else {
            progress.clear();
        }
        pending.update(later);
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
