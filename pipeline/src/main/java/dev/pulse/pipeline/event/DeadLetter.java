package dev.pulse.pipeline.event;

import dev.pulse.api.plan.DeadLetters;

/**
 * A record the stream did not count, for the dead letters (docs/bad-events.md): why, where it came
 * from, and its original key and value bytes. A Flink POJO (public fields, no-arg constructor), so
 * it has a real serializer, never Kryo.
 */
public class DeadLetter {
    public DeadLetters.Reason reason;
    /** Where and why, for people. */
    public String detail;
    /** The Kafka partition, or the index of the replayed file. */
    public int source;
    /** The Kafka offset, or the line number (1-based). */
    public long position;
    /** The original key, or null. */
    public byte[] key;
    /** The original value, or null (a Kafka record without value). */
    public byte[] value;

    public DeadLetter() {
    }

    /** The dead letter of a malformed event. */
    public static DeadLetter of(Event e) {
        DeadLetter d = new DeadLetter();
        d.reason = e.reason;
        d.detail = e.detail;
        d.source = e.source;
        d.position = e.position;
        d.key = e.key;
        d.value = e.value;
        return d;
    }
}
