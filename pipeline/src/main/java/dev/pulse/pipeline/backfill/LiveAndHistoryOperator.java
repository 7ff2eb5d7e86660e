package dev.pulse.pipeline.backfill;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Runs an analysis's keyed function over its live records (input 1) and its history read (input
 * 2): the same function, state and timers as the one-input operator a version without history
 * runs, under the same uid.
 *
 * <p>The watermark is the smaller of the two inputs' while history is read: the history read has
 * none, so the operator's stays at its minimum and nothing is final before the history is
 * complete. When the read ends (its final watermark, also sent at once by a read restored as
 * finished), input 2 counts as idle rather than as a watermark at the end of time: the operator's
 * watermark is the live one from then on. Were it taken as a watermark, the first idle period of
 * the live stream would move the operator's watermark to the end of time, finalize every open
 * window and make every later record late.
 */
public final class LiveAndHistoryOperator<K, IN, OUT> extends KeyedProcessOperator<K, IN, OUT>
        implements TwoInputStreamOperator<IN, IN, OUT> {
    private static final long serialVersionUID = 1L;

    public LiveAndHistoryOperator(KeyedProcessFunction<K, IN, OUT> function) {
        super(function);
    }

    @Override
    public void processElement1(StreamRecord<IN> element) throws Exception {
        processElement(element);
    }

    @Override
    public void processElement2(StreamRecord<IN> element) throws Exception {
        processElement(element);
    }

    @Override
    public void processWatermark2(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            processWatermarkStatus2(WatermarkStatus.IDLE);
        } else {
            super.processWatermark2(mark);
        }
    }
}
