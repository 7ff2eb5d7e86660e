package dev.pulse.operator.health;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * When the end of one partition reached each offset, from the log-end offsets the lag probe reads
 * every round (kafka-lag-exporter's interpolation): the time lag of a committed offset is now minus
 * the moment the log end passed it, interpolated linearly between the two samples around it. Costs
 * no extra Kafka call; its resolution is the probe interval.
 *
 * <p>A sample is kept only when the end moved (the moment an offset was first seen is what counts),
 * at most {@link #MAX_SAMPLES}: older than the oldest sample, the time is extrapolated with the
 * average rate of the whole history, and never put later than the oldest sample.
 */
final class OffsetTimeline {
    static final int MAX_SAMPLES = 120;

    private record Sample(long offset, long atMs) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Records the partition's log-end offset as read at {@code atMs}. */
    synchronized void observe(long endOffset, long atMs) {
        Sample last = samples.peekLast();
        if (last != null && endOffset <= last.offset()) {
            if (endOffset < last.offset()) {
                samples.clear(); // the topic was recreated: the history no longer holds
                samples.addLast(new Sample(endOffset, atMs));
            }
            return;
        }
        samples.addLast(new Sample(endOffset, atMs));
        while (samples.size() > MAX_SAMPLES) {
            samples.removeFirst();
        }
    }

    /**
     * Milliseconds the consumer at {@code committed} is behind at {@code nowMs}: 0 when it is at the
     * end; the time since the log end passed the committed offset otherwise.
     */
    synchronized long lagMs(long committed, long nowMs) {
        Sample last = samples.peekLast();
        if (last == null || committed >= last.offset()) {
            return 0;
        }
        Sample first = samples.peekFirst();
        if (committed < first.offset()) {
            long rate = samples.size() < 2 ? 0 : (last.offset() - first.offset());
            long at = first.atMs();
            if (rate > 0) {
                double msPerRecord = (double) (last.atMs() - first.atMs()) / rate;
                at = first.atMs() - Math.round((first.offset() - committed) * msPerRecord);
            }
            return Math.max(0, nowMs - at);
        }
        // the first sample whose offset is beyond committed: the end passed committed between it and the one before
        Iterator<Sample> it = samples.iterator();
        Sample before = it.next();
        while (it.hasNext()) {
            Sample after = it.next();
            if (after.offset() > committed) {
                double fraction = (double) (committed - before.offset()) / (after.offset() - before.offset());
                long at = before.atMs() + Math.round(fraction * (after.atMs() - before.atMs()));
                return Math.max(0, nowMs - at);
            }
            before = after;
        }
        return 0;
    }
}
