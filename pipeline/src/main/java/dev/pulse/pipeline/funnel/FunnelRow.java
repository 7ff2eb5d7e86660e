package dev.pulse.pipeline.funnel;

/**
 * A funnel result row: a reporting window and breakdown values, the count reaching each step
 * (step 1 first), and the median time to convert to the last step (-1 when none converted).
 */
public class FunnelRow {
    public long windowStart;
    public long windowEnd;
    public String[] dimensions;
    public long[] counts;
    public long medianConversionMs = -1;
    public boolean finalResult;

    public FunnelRow() {
    }
}
