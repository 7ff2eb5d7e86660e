package dev.pulse.pipeline.retention;

/**
 * One actor's membership of a retention cohort: its cohort time t0, breakdown values, and which
 * periods it was retained in (bit k-1 for period k). The only per-actor state a retention keeps.
 */
public class RetentionMember {
    public RetentionMember() {
    }

    public long cohortTime = -1;
    public String[] dimensions;
    public long[] retained;
    /** The input order of the first cohort event ({@link dev.pulse.pipeline.groups.InputOrder}). */
    public long order;

    public boolean isMember() {
        return cohortTime >= 0;
    }

    public long cohortTime() {
        return cohortTime;
    }

    public String[] dimensions() {
        return dimensions;
    }

    public boolean retainedIn(int period) {
        return retainedIn(retained, period);
    }

    /** Whether a bitmap of retained periods (bit k-1 for period k) holds period k. */
    public static boolean retainedIn(long[] retained, int period) {
        int i = period - 1;
        return retained != null && (retained[i >> 6] & (1L << (i & 63))) != 0;
    }

    void markRetained(int period) {
        int i = period - 1;
        retained[i >> 6] |= 1L << (i & 63);
    }
}
