package dev.pulse.pipeline.late;

/**
 * An event one analysis did not count because it was late (docs/semantics.md, "Late data"): which
 * analysis, the event's time, its actor when the analysis follows actors, and where it was read.
 * The record itself is not carried through the analyses (it would cost every event on the hot
 * path); its partition and offset find it in the input topic. A Flink POJO.
 */
public class LateRecord {
    /** {@code <Kind>/<namespace>/<name>}, as {@code DeadLetters.analysis}. */
    public String analysis;
    /** Event time, epoch milliseconds. */
    public long time;
    /** The actor, or null (a Metric's late events do not carry it). */
    public String actor;
    /** The Kafka partition, or the index of the replayed file. */
    public int partition;
    /** The Kafka offset, or the line number in the file (1-based). */
    public long offset;

    public LateRecord() {
    }

    public static LateRecord of(String analysis, long time, String actor, int partition, long offset) {
        LateRecord r = new LateRecord();
        r.analysis = analysis;
        r.time = time;
        r.actor = actor;
        r.partition = partition;
        r.offset = offset;
        return r;
    }
}
