package dev.pulse.pipeline.retention;

import dev.pulse.pipeline.sink.ResultRow;

/**
 * A retention result row: a cohort (breakdown values, and its start as the window start), its
 * size, the retained count per period (period k at index k-1), and which periods are complete.
 * Its window is the cohort's first period: windowEnd is the start plus one period.
 */
public class RetentionRow extends ResultRow<RetentionRow> {
    public long cohortSize;
    public long[] retained;
    public boolean[] complete;

    public RetentionRow() {
    }

    @Override
    public RetentionRow copy() {
        RetentionRow c = copyKeyTo(new RetentionRow());
        c.cohortSize = cohortSize;
        c.retained = retained.clone();
        c.complete = complete.clone();
        return c;
    }
}
