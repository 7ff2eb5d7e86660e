package dev.pulse.pipeline.retention;

import dev.pulse.api.plan.RetentionPlan;
import dev.pulse.api.v1alpha1.retention.RetentionSpec;

/**
 * Retention per docs/semantics.md for one actor's events in time order: the first cohort event
 * makes the actor a member at t0; a return event at t retains it in period k when
 * t is in [t0+k·P, t0+(k+1)·P) ({@code bounded}) or in every period k with t0+k·P ≤ t ({@code unbounded}).
 */
public final class RetentionTracker implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final long periodMs;
    private final int periods;
    private final boolean bounded;

    public RetentionTracker(RetentionPlan plan) {
        this(plan.periodMs(), plan.periods(), plan.mode() == RetentionSpec.Mode.bounded);
    }

    public RetentionTracker(long periodMs, int periods, boolean bounded) {
        this.periodMs = periodMs;
        this.periods = periods;
        this.bounded = bounded;
    }

    public long periodMs() {
        return periodMs;
    }

    public int periods() {
        return periods;
    }

    public boolean bounded() {
        return bounded;
    }

    /** Start of the cohort of an actor whose first cohort event is at t0 (UTC epoch aligned). */
    public long cohortStart(long t0) {
        return Math.floorDiv(t0, periodMs) * periodMs;
    }

    /** After this time nothing can change the member's retention any more. */
    public long settledAt(RetentionMember m) {
        return m.cohortTime + (periods + 1) * periodMs;
    }

    /** Applies one event; returns true when it made the actor a member (its first cohort event). */
    public boolean onEvent(RetentionMember m, long time, boolean cohort, boolean ret, String[] dimensions) {
        boolean joined = false;
        if (!m.isMember()) {
            if (!cohort) {
                return false;
            }
            m.cohortTime = time;
            m.dimensions = dimensions;
            m.retained = new long[(periods + 63) >> 6];
            joined = true;
        }
        if (ret && time >= m.cohortTime + periodMs) {
            long k = (time - m.cohortTime) / periodMs;
            if (bounded) {
                if (k <= periods) {
                    m.markRetained((int) k);
                }
            } else {
                for (int p = 1; p <= Math.min(k, periods); p++) {
                    m.markRetained(p);
                }
            }
        }
        return joined;
    }

    /**
     * Whether an event of a member could still change its retention. Marking only ever adds
     * periods, so an event that marks nothing new now (not a return, before period 1, or in
     * periods already marked) never will, whatever else is taken before it; and a settled member
     * changes no more.
     */
    public boolean couldChange(RetentionMember m, long time, boolean ret) {
        if (!ret || m.retained == null || time < m.cohortTime + periodMs) {
            return false;
        }
        long k = (time - m.cohortTime) / periodMs;
        if (bounded) {
            return k <= periods && !m.retainedIn((int) k);
        }
        for (int p = 1; p <= Math.min(k, periods); p++) {
            if (!m.retainedIn(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether period k of a cohort is complete at the given watermark: no member's period k may
     * still change ({@code bounded}: cohortStart+(k+2)·P ≤ watermark; {@code unbounded}: cohortStart+(k+1)·P ≤ watermark).
     */
    public boolean isComplete(long cohortStart, int k, long watermark) {
        long end = cohortStart + (bounded ? k + 2L : k + 1L) * periodMs;
        return end <= watermark;
    }
}
