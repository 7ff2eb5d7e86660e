package dev.pulse.pipeline.anomaly;

import dev.pulse.pipeline.sink.ResultRow;

/** An anomaly on a metric's series: the window, dimension values, and the observed value against its band; always final. */
public class AnomalyRow implements ResultRow<AnomalyRow> {
    public long windowStart;
    public long windowEnd;
    public String[] dimensions;
    public double observed;
    public double expected;
    public double lower;
    public double upper;
    public double score;

    public AnomalyRow() {
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
        return true;
    }

    @Override
    public AnomalyRow copy() {
        AnomalyRow c = new AnomalyRow();
        c.windowStart = windowStart;
        c.windowEnd = windowEnd;
        c.dimensions = dimensions.clone();
        c.observed = observed;
        c.expected = expected;
        c.lower = lower;
        c.upper = upper;
        c.score = score;
        return c;
    }
}
