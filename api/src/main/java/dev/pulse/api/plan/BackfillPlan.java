package dev.pulse.api.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.SortedMap;

/**
 * How a version of an analysis gets its history (docs/changes.md). The compiler fills {@code mode}
 * and the declared bound; the operator <em>pins</em> the version when it first puts it into a
 * running plan: {@code pinnedAtMs} (when) and {@code handOver} (per partition, the first offset the
 * live job counts for this version; records before it are read once, in one pass, by the job's
 * bounded backfill source). Pins are carried over from the previous plan while the version stays
 * in the same pipeline, so a restart never moves the hand-over. Not part of the semantic hash.
 *
 * @param mode earliest, time, duration or none
 * @param fromMs for {@code time}: the first event time that counts
 * @param durationMs for {@code duration}: how far back from {@code pinnedAtMs} event time counts
 * @param pinnedAtMs when the version was first applied (epoch ms); null until pinned
 * @param handOver partition to hand-over offset; null until pinned
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackfillPlan(Mode mode, Long fromMs, Long durationMs, Long pinnedAtMs, SortedMap<Integer, Long> handOver) {

    /** Where a version starts counting. */
    public enum Mode {
        /** every record the topic retains */
        earliest,
        /** records whose event time is at or after {@code fromMs} */
        time,
        /** records whose event time is at or after {@code pinnedAtMs - durationMs} */
        duration,
        /** only records from the hand-over offsets on */
        none
    }

    /** The default: everything the topic retains. */
    public static final BackfillPlan EARLIEST = new BackfillPlan(Mode.earliest, null, null, null, null);

    /** Whether the operator has pinned the hand-over. */
    @JsonIgnore
    public boolean pinned() {
        return handOver != null && pinnedAtMs != null;
    }

    /** This backfill pinned at a time and hand-over offsets. */
    public BackfillPlan pin(long atMs, Map<Integer, Long> offsets) {
        return new BackfillPlan(mode, fromMs, durationMs, atMs, new java.util.TreeMap<>(offsets));
    }

    /** Whether a pinned version reads history (records before the hand-over) in a bounded pass. */
    @JsonIgnore
    public boolean readsHistory() {
        return pinned() && mode != Mode.none;
    }

    /**
     * Identifies one bounded read of history: versions pinned together (same time, same hand-over)
     * share it, one read of the topic for every version applied together. The time is part of it:
     * on a quiet topic two applies can pin the same offsets, and a version applied later must not
     * join a read that already finished (it would get no history).
     */
    @JsonIgnore
    public String historyId() {
        return PlanJson.sha256(pinnedAtMs + "@" + handOver).substring(0, 10);
    }

    /** The consumer group the history read commits its progress to (the operator reads it as backfill progress). */
    public String historyGroup(StreamPlan stream) {
        return stream.consumerGroup() + ".backfill-" + historyId();
    }

    /** How far before the first event time that counts the history read starts, by Kafka record timestamp: an event's time may be ahead of its record's. */
    public static final long HISTORY_START_MARGIN_MS = 3_600_000L;

    /**
     * The Kafka record timestamp the history read starts at, Long.MIN_VALUE for the earliest
     * retained record.
     */
    @JsonIgnore
    public long historyStartMs() {
        long from = countFromMs();
        return from == Long.MIN_VALUE ? Long.MIN_VALUE : from - HISTORY_START_MARGIN_MS;
    }

    /** The first event time that counts in this version (Long.MIN_VALUE: no bound). */
    @JsonIgnore
    public long countFromMs() {
        return switch (mode) {
            case time -> fromMs;
            case duration -> pinnedAtMs == null ? Long.MIN_VALUE : pinnedAtMs - durationMs;
            default -> Long.MIN_VALUE;
        };
    }

    /**
     * Windows that start before this are never final in this version: it did not see all their
     * records (Long.MIN_VALUE: every window can be final).
     */
    @JsonIgnore
    public long finalFromMs() {
        if (mode == Mode.none) {
            return pinnedAtMs == null ? Long.MIN_VALUE : pinnedAtMs;
        }
        return countFromMs();
    }
}
