package dev.pulse.pipeline.retention;

/**
 * A retention result row: a cohort (start and breakdown values), its size, the retained count per
 * period (period k at index k-1), and which periods are complete.
 */
public class RetentionRow {
    public long cohortStart;
    public String[] dimensions;
    public long cohortSize;
    public long[] retained;
    public boolean[] complete;
    public boolean finalResult;

    public RetentionRow() {
    }
}
