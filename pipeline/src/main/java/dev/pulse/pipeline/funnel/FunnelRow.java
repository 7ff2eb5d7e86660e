package dev.pulse.pipeline.funnel;

import dev.pulse.pipeline.sink.ResultRow;

/**
 * A funnel result row: a reporting window and breakdown values, the count reaching each step
 * (step 1 first), and the median time to convert to the last step (-1 when none converted).
 */
public class FunnelRow extends ResultRow<FunnelRow> {
    public long[] counts;
    public long medianConversionMs = -1;

    public FunnelRow() {
    }

    @Override
    public FunnelRow copy() {
        FunnelRow c = copyKeyTo(new FunnelRow());
        c.counts = counts.clone();
        c.medianConversionMs = medianConversionMs;
        return c;
    }
}
