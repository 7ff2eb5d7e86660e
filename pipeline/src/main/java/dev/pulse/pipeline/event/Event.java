package dev.pulse.pipeline.event;

/**
 * One parsed product event: the event type, the actor, the event time and one typed slot per
 * field the plan uses (see {@link EventLayout}). A Flink POJO: public fields and a no-arg
 * constructor give it a real serializer, never Kryo.
 *
 * <p>A record that could not be parsed travels as an Event with {@link #error} set (and
 * {@link #raw} holding the input) until {@link SplitMalformed} takes it out of the stream.
 */
public class Event {
    public String type;
    public String actor;
    /** Event time, epoch milliseconds. */
    public long time;
    public String[] strings;
    public long[] longs;
    public double[] doubles;
    public boolean[] booleans;
    /** Presence of the long, double and boolean slots, in that order ({@link EventLayout#presenceIndex}). */
    public boolean[] present;
    /**
     * Where the record came from: the Kafka partition, or the index of the replayed file. With
     * {@link #position}, what a version's hand-over offsets are compared with.
     */
    public int source;
    /** Its Kafka offset, or its line number in the file (1-based). */
    public long position;
    /** Read by a bounded history read (a new version's backfill), not by the live source. */
    public boolean history;
    /**
     * The live source's watermark when the record passed it ({@link SplitMalformed}); lateness of a
     * live record of a backfilling version is judged against it (docs/changes.md).
     */
    public long sourceWatermark = Long.MIN_VALUE;
    /** Why the record is malformed, or null. */
    public String error;
    /** The record's text when it is malformed, else null. */
    public String raw;

    public Event() {
    }

    public boolean isMalformed() {
        return error != null;
    }
}
