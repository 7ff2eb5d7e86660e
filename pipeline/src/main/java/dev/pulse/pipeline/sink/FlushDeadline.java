package dev.pulse.pipeline.sink;

/**
 * When a sink's pending batch is due: the earliest deadline of the rows in it. A provisional row
 * may wait the whole flush interval; a final row (a window turning final, what a dashboard waits
 * for) at most {@code finalRowDelayMs}, so the rest of its window's burst shares the batch. Timers
 * cannot be cancelled: one set for a deadline that a sooner row replaced finds {@link #reached}
 * false and leaves the batch alone.
 */
final class FlushDeadline {
    private final long flushIntervalMs;
    private final long finalRowDelayMs;
    private long due = Long.MAX_VALUE;

    FlushDeadline(long flushIntervalMs, long finalRowDelayMs) {
        this.flushIntervalMs = flushIntervalMs;
        this.finalRowDelayMs = Math.min(finalRowDelayMs, flushIntervalMs);
    }

    /**
     * A row joined the batch at {@code now}.
     *
     * @return the time to set a timer for, or -1 when a timer at or before the row's deadline is set already
     */
    long rowAdded(long now, boolean finalRow) {
        long rowDue = now + (finalRow ? finalRowDelayMs : flushIntervalMs);
        if (rowDue >= due) {
            return -1;
        }
        due = rowDue;
        return rowDue;
    }

    /** Whether a timer set for {@code timerTime} is the batch's deadline (not one a sooner row replaced). */
    boolean reached(long timerTime) {
        return timerTime >= due;
    }

    /** The batch was written: no deadline until the next row. */
    void flushed() {
        due = Long.MAX_VALUE;
    }
}
