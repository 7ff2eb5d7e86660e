package dev.pulse.pipeline.late;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.DeadLetters;
import dev.pulse.pipeline.backfill.HandOver;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.OutputTag;

/**
 * The keyed operator of an analysis that decides what is late (docs/semantics.md, "Late data"):
 * the same rule for every kind, in one place. A record is judged against the watermark this
 * operator has seen, kept through restores ({@link SeenWatermark}); a version the operator pinned
 * follows its hand-over ({@link HandOver}): history records are never late, live ones are late
 * against their source's watermark too. A late record is counted in the analysis's
 * {@code lateEvents} and sent once to the late output, from which it reaches the dead-letter topic.
 *
 * <p>What "late" means for a record is the kind's own: a metric's window end, a funnel's or a
 * retention's event time, plus {@code allowedLateness}. Subclasses call {@code super.open}.
 *
 * @param <I> the records the operator takes (and sends to the late output)
 * @param <O> the updates it emits
 */
public abstract class LatenessJudge<I, O> extends KeyedProcessFunction<String, I, O> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    /** {@code allowedLateness} of the analysis, in milliseconds. */
    protected final long lateness;
    private final boolean pinned;
    private final String analysis;
    private final OutputTag<I> lateOutput;
    private transient Counter lateEvents;
    private transient SeenWatermark seen;

    protected LatenessJudge(AnalysisPlan plan, OutputTag<I> lateOutput) {
        this.lateness = plan.allowedLatenessMs();
        this.pinned = HandOver.pinned(plan);
        this.analysis = DeadLetters.analysis(plan);
        this.lateOutput = lateOutput;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        lateEvents = getRuntimeContext().getMetricGroup().addGroup("pulse").addGroup("analysis", analysis).counter("lateEvents");
    }

    /**
     * The watermark a record is judged against, or {@code Long.MIN_VALUE} when nothing is late yet.
     *
     * @param history whether the record comes from the history read of a pinned version
     * @param sourceWatermark the watermark of the record's source, for a pinned version's live records
     */
    protected final long judgeAgainst(Context ctx, boolean history, long sourceWatermark) {
        return HandOver.lateAgainst(pinned, history, seen.of(ctx.timerService().currentWatermark()), sourceWatermark);
    }

    /** Notes the current watermark (from a timer), so the next checkpoint keeps it. */
    protected final void see(OnTimerContext ctx) {
        seen.of(ctx.timerService().currentWatermark());
    }

    /** Counts a late record and sends it to the late output. */
    protected final void late(Context ctx, I record) {
        lateEvents.inc();
        ctx.output(lateOutput, record);
    }

    @Override
    public final void snapshotState(FunctionSnapshotContext context) throws Exception {
        seen.snapshot();
    }

    @Override
    public final void initializeState(FunctionInitializationContext context) throws Exception {
        seen = new SeenWatermark();
        seen.initialize(context);
    }
}
