package dev.pulse.pipeline.retention;

import dev.pulse.pipeline.sink.ResultRow;

/**
 * A retention result row: a cohort (start and breakdown values), its size, the retained count per
 * period (period k at index k-1), and which periods are complete. Its serving window is the
 * cohort's first period, {@code [cohortStart, cohortEnd)}.
 */
public class RetentionRow implements ResultRow<RetentionRow> {
    public long cohortStart;
    /** The end of the cohort's first period: cohortStart plus one period. */
    public long cohortEnd;
    public String[] dimensions;
    public long cohortSize;
    public long[] retained;
    public boolean[] complete;
    public boolean finalResult;

    public RetentionRow() {
    }

    @Override
    public long windowStart() {
        return cohortStart;
    }

    @Override
    public long windowEnd() {
        return cohortEnd;
    }

    @Override
    public String[] dimensions() {
        return dimensions;
    }

    @Override
    public boolean isFinal() {
        return finalResult;
    }

    @Override
    public RetentionRow copy() {
        RetentionRow c = new RetentionRow();
        c.cohortStart = cohortStart;
        c.cohortEnd = cohortEnd;
        c.dimensions = dimensions.clone();
        c.cohortSize = cohortSize;
        c.retained = retained.clone();
        c.complete = complete.clone();
        c.finalResult = finalResult;
        return c;
    }
}
