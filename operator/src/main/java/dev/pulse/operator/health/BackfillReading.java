package dev.pulse.operator.health;

import java.time.Instant;

/**
 * Progress of one bounded history read (the versions pinned at one hand-over), from its consumer
 * group's committed offsets (committed at each checkpoint of the pipeline).
 *
 * @param recordsDone history records read, summed over partitions
 * @param recordsTotal history records to read: from the read's start offsets up to the hand-over offsets
 * @param finished whether every partition has reached its hand-over offset
 * @param error why it could not be read, or null
 */
public record BackfillReading(long recordsDone, long recordsTotal, boolean finished, Instant asOf, String error) {

    /** A reading that failed. */
    public static BackfillReading failed(Instant asOf, String error) {
        return new BackfillReading(0, 0, false, asOf, error);
    }

    /** Share done, 0 to 1 (1 when there is nothing to read). */
    public double progress() {
        return finished || recordsTotal == 0 ? 1.0 : Math.min(1.0, (double) recordsDone / recordsTotal);
    }
}
