package dev.pulse.pipeline.metric;

/**
 * What one event contributes to one metric after its filter: the group key, the event time and
 * the aggregated value. Small on purpose, since it is what crosses the network. A Flink POJO.
 */
public class Observation {
    /** The event has a value in {@link #number}. */
    public static final int HAS_NUMBER = 1;
    /** A ratio's numerator side matched. */
    public static final int NUMERATOR = 2;
    /** A ratio's denominator side matched. */
    public static final int DENOMINATOR = 4;
    /** Read by a history read (never late). */
    public static final int HISTORY = 8;

    /** The dimension values, encoded by {@link DimensionKey}. */
    public String key;
    public long time;
    public double number;
    /** The value countDistinct counts, or null when missing. */
    public String text;
    public int flags;
    /** The live source's watermark when the event passed it ({@code Event.sourceWatermark}). */
    public long sourceWatermark = Long.MIN_VALUE;
    /** The event's Kafka partition (or replayed file), for its dead letter when it is late. */
    public int source;
    /** The event's Kafka offset (or line number), for its dead letter when it is late. */
    public long position;

    public Observation() {
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
