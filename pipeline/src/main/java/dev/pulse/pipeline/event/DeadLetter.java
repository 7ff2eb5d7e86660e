package dev.pulse.pipeline.event;

/** A record that could not be parsed: where it came from, why, and its text. A Flink POJO. */
public class DeadLetter {
    /** The Kafka partition, or the index of the replayed file. */
    public int source;
    /** The Kafka offset, or the line number (1-based). */
    public long position;
    public String error;
    public String raw;

    public DeadLetter() {
    }

    public static DeadLetter of(Event e) {
        DeadLetter d = new DeadLetter();
        d.source = e.source;
        d.position = e.position;
        d.error = e.error;
        d.raw = e.raw;
        return d;
    }
}
