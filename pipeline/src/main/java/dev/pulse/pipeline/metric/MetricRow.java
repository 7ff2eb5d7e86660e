package dev.pulse.pipeline.metric;

import dev.pulse.pipeline.sink.ResultRow;

/**
 * One result of a Metric: a window, the group's dimension values (null when missing), the value,
 * a ratio's two counts, and whether it is final. A Flink POJO.
 */
public class MetricRow implements ResultRow<MetricRow> {
    public long windowStart;
    public long windowEnd;
    public String[] dimensions;
    /** Null when undefined: no values to aggregate, or a ratio's denominator is 0. */
    public Double value;
    /** A ratio's numerator count; null for other aggregations. */
    public Long numerator;
    /** A ratio's denominator count; null for other aggregations. */
    public Long denominator;
    public boolean finalResult;

    public MetricRow() {
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

    /** A copy (the dimension array is shared: nothing writes to it). */
    @Override
    public MetricRow copy() {
        MetricRow r = new MetricRow();
        r.windowStart = windowStart;
        r.windowEnd = windowEnd;
        r.dimensions = dimensions;
        r.value = value;
        r.numerator = numerator;
        r.denominator = denominator;
        r.finalResult = finalResult;
        return r;
    }
}
