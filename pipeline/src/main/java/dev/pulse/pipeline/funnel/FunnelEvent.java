package dev.pulse.pipeline.funnel;

/**
 * An event as a funnel sees it: its actor, time, which steps and exclusions it matches (bit
 * masks) and its breakdown values. A Flink POJO, so it never falls back to Kryo.
 */
public class FunnelEvent {
    public String actor;
    public long time;
    public int steps;
    public int exclusions;
    public String[] dimensions;
    /** Arrival order within the actor, for a stable order at equal times and ranks. */
    public long sequence;
    /** Read by a history read (never late). */
    public boolean history;
    /** The live source's watermark when the event passed it ({@code Event.sourceWatermark}). */
    public long sourceWatermark = Long.MIN_VALUE;
    /** The event's Kafka partition (or replayed file); with {@link #sequence}, its offset, for its dead letter when late. */
    public int source;

    public FunnelEvent() {
    }
}
