package dev.pulse.pipeline.retention;

/** An actor's retention membership, sent to its cohort row each time it changes. */
public class MemberUpdate {
    public String actor;
    public long cohortStart;
    public String[] dimensions;
    public long[] retained;
    /** The row key (cohort start and breakdown values). */
    public String row;

    public MemberUpdate() {
    }
}
