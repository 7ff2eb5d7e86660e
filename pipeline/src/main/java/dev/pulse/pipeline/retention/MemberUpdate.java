package dev.pulse.pipeline.retention;

/** An actor's retention membership, sent to its cohort row each time it changes. */
public class MemberUpdate {
    public String actor;
    public long cohortStart;
    public String[] dimensions;
    public long[] retained;
    /** The row key (cohort start and breakdown values). */
    public String row;
    /** The event time at which the member's events were taken (its timer): a row final before it no longer changes. */
    public long at;
    /** The input order of the member's first cohort event: which of a cohort's breakdowns came first in a replay. */
    public long order;

    public MemberUpdate() {
    }
}
