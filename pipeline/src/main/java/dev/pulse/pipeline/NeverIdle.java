package dev.pulse.pipeline;

import dev.pulse.api.plan.AnalysisPlan;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Chained after an analysis's first keyed operator when a second event-time operator follows (a
 * funnel's attempts before its rows, a retention's members before its cohorts): passes records and
 * watermarks on, never an idle status.
 *
 * <p>The first operator holds events in state and sends their updates from event-time timers, so
 * it has output to send the next time its watermark moves, however long its inputs were idle.
 * Announced as idle, its channels would stop holding the second operator's watermark back: when
 * the stream wakes up, the subtask that hears the new watermark first would move the second
 * operator past windows whose updates the other subtasks have not sent yet, and those windows
 * would be made final without them (and a final row is never written again). Every subtask of the
 * first operator reads every channel of the stream before it, so all of them hear the same
 * watermarks: holding the second operator at their minimum only makes it wait for the slowest.
 */
public final class NeverIdle<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    private NeverIdle() {
        // no network hop: the same task as the operator before it
        this.chainingStrategy = ChainingStrategy.ALWAYS;
    }

    /** The stream, after an operator that never announces it idle; uid {@code <operator>-active}. */
    public static <T> DataStream<T> after(DataStream<T> stream, AnalysisPlan plan, String operator) {
        return stream.transform(plan.kind() + " " + plan.namespace() + "/" + plan.name() + ": " + operator + ", never idle",
                stream.getType(), NeverIdle.<T>operator()).uid(PipelineGraph.uid(plan, operator + "-active"));
    }

    /** The operator itself (tests chain it as {@link #after} does). */
    public static <T> NeverIdle<T> operator() {
        return new NeverIdle<>();
    }

    @Override
    public void processElement(StreamRecord<T> record) {
        output.collect(record);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        // neither idle nor active is passed on: the channels stay active, so every watermark counts
    }
}
