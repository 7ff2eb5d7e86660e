package dev.pulse.pipeline.event;

import dev.pulse.api.plan.DeadLetters;

/**
 * One parsed product event: the event type, the actor, the event time and one typed slot per
 * field the plan uses (see {@link EventLayout}). A Flink POJO: public fields and a no-arg
 * constructor give it a real serializer, never Kryo.
 *
 * <p>A malformed record (docs/bad-events.md) travels as an Event with {@link #reason} set, and
 * its original {@link #key} and {@link #value}, until {@link SplitMalformed} takes it out of the
 * stream to the dead letters.
 */
public class Event {
    public String type;
    public String actor;
    /** Event time, epoch milliseconds: what windows, funnels and retention go by. */
    public long time;
    /**
     * The record's Kafka timestamp, or {@link Long#MAX_VALUE} when it has none (a file line): the
     * watermark follows the lesser of it and {@link #time} ({@link EventWatermarks}).
     */
    public long recordTime = Long.MAX_VALUE;
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
    /** Why the record is malformed (the first reason in the order of docs/bad-events.md), or null. */
    public DeadLetters.Reason reason;
    /** For a malformed record: where and why, for people. */
    public String detail;
    /** For a malformed record: its original key (null when it had none or it is a file line). */
    public byte[] key;
    /** For a malformed record: its original value bytes. */
    public byte[] value;

    public Event() {
    }

    public boolean isMalformed() {
        return reason != null;
    }
}
