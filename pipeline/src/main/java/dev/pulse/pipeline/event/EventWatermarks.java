package dev.pulse.pipeline.event;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * The live source's watermark (docs/semantics.md): the largest min(event time, the record's Kafka
 * timestamp) seen, less {@code maxOutOfOrderness} (and 1 ms, as Flink's bounded out-of-orderness
 * does). A record whose event time runs ahead of its Kafka timestamp (within
 * {@code maxFutureSkew}, else it is malformed) moves the watermark no further than its timestamp,
 * so one record stamped in the future cannot make the records after it late. Malformed records
 * do not move it. The event's own time stays its timestamp for windows.
 */
public final class EventWatermarks implements WatermarkGenerator<Event> {
    private final long maxOutOfOrdernessMs;
    private long max;

    public EventWatermarks(long maxOutOfOrdernessMs) {
        this.maxOutOfOrdernessMs = maxOutOfOrdernessMs;
        this.max = Long.MIN_VALUE + maxOutOfOrdernessMs + 1;
    }

    /** The time an admitted event moves the watermark to (before the out-of-orderness allowance). */
    public static long progress(Event e) {
        return Math.min(e.time, e.recordTime);
    }

    @Override
    public void onEvent(Event e, long eventTimestamp, WatermarkOutput output) {
        if (!e.isMalformed()) {
            max = Math.max(max, progress(e));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(new Watermark(max - maxOutOfOrdernessMs - 1));
    }
}
