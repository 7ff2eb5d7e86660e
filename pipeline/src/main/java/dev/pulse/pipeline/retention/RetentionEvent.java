package dev.pulse.pipeline.retention;

/** An event as a retention sees it: actor, time, whether it is a cohort and/or a return event, breakdown values. */
public class RetentionEvent {
    public String actor;
    public long time;
    public boolean cohort;
    public boolean returning;
    public String[] dimensions;
    /** Read by a history read (never late). */
    public boolean history;
    /** The live source's watermark when the event passed it ({@code Event.sourceWatermark}). */
    public long sourceWatermark = Long.MIN_VALUE;
    /** The event's Kafka partition (or replayed file), for its dead letter when late. */
    public int source;
    /** The event's Kafka offset (or line number), for its dead letter when late. */
    public long position;

    public RetentionEvent() {
    }
}
