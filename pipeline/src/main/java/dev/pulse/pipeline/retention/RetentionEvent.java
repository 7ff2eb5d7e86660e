package dev.pulse.pipeline.retention;

/** An event as a retention sees it: actor, time, whether it is a cohort and/or a return event, breakdown values. */
public class RetentionEvent {
    public String actor;
    public long time;
    public boolean cohort;
    public boolean returning;
    public String[] dimensions;

    public RetentionEvent() {
    }
}
