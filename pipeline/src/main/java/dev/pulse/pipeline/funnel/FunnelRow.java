package dev.pulse.pipeline.funnel;

import dev.pulse.pipeline.sink.ResultRow;

/**
 * A funnel result row: a reporting window and breakdown values, the count reaching each step
 * (step 1 first), and the median time to convert to the last step (-1 when none converted).
 */
public class FunnelRow implements ResultRow<FunnelRow> {
    public long windowStart;
    public long windowEnd;
    public String[] dimensions;
    public long[] counts;
    public long medianConversionMs = -1;
    public boolean finalResult;

    public FunnelRow() {
    }

    @Override
    public long windowStart() {
        return windowStart;
    }

    @Override
    public long windowEnd() {
        return windowEnd;
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
    public FunnelRow copy() {
        FunnelRow c = new FunnelRow();
        c.windowStart = windowStart;
        c.windowEnd = windowEnd;
        c.dimensions = dimensions.clone();
        c.counts = counts.clone();
        c.medianConversionMs = medianConversionMs;
        c.finalResult = finalResult;
        return c;
    }
}
