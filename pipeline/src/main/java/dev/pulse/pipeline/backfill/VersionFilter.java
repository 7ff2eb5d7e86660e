package dev.pulse.pipeline.backfill;

import dev.pulse.api.plan.BackfillPlan;
import dev.pulse.pipeline.event.Event;
import java.util.Map;
import org.apache.flink.api.common.functions.FilterFunction;

/**
 * Cuts the shared event stream for one pinned version: live, only records at or after the
 * hand-over offset of their partition (those before belong to the history read); both sides, only
 * records whose event time is at or after the version's first counted time. The hand-over is a
 * plain array indexed by partition, so the check costs two comparisons per event; a partition the
 * hand-over does not name (added to the topic later) is live from its first record.
 */
public final class VersionFilter implements FilterFunction<Event> {
    private static final long serialVersionUID = 1L;
    /** Hand-over offset per partition; null on the history side. */
    private final long[] handOver;
    private final long countFromMs;

    private VersionFilter(long[] handOver, long countFromMs) {
        this.handOver = handOver;
        this.countFromMs = countFromMs;
    }

    /** The live side of a pinned version. */
    public static VersionFilter live(BackfillPlan backfill) {
        return new VersionFilter(offsets(backfill.handOver()), backfill.countFromMs());
    }

    /** The history side of a pinned version. */
    public static VersionFilter history(BackfillPlan backfill) {
        return new VersionFilter(null, backfill.countFromMs());
    }

    /** The hand-over as an array indexed by partition (partitions it does not name: 0). */
    static long[] offsets(Map<Integer, Long> handOver) {
        int size = handOver.keySet().stream().mapToInt(p -> p + 1).max().orElse(0);
        long[] offsets = new long[size];
        handOver.forEach((partition, offset) -> offsets[partition] = offset);
        return offsets;
    }

    @Override
    public boolean filter(Event e) {
        if (handOver != null && e.source < handOver.length && e.position < handOver[e.source]) {
            return false;
        }
        return e.time >= countFromMs;
    }
}
