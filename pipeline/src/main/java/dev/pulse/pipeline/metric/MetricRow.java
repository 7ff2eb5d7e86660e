package dev.pulse.pipeline.metric;

import dev.pulse.pipeline.sink.ResultRow;

/**
 * One result of a Metric: a window, the group's dimension values (null when missing), the value,
 * a ratio's two counts, whether it is final, and what the serving store's rollups merge for
 * countDistinct and percentile ({@code TableLayout.metricState}). A Flink POJO.
 */
public class MetricRow extends ResultRow<MetricRow> {
    /** Null when undefined: no values to aggregate, or a ratio's denominator is 0. */
    public Double value;
    /** A ratio's numerator count; null for other aggregations. */
    public Long numerator;
    /** A ratio's denominator count (an avg's number of values); null for other aggregations. */
    public Long denominator;
    /** countDistinct: the window's distinct values, sorted; null for other aggregations. Never written after the row is built. */
    public String[] distinctValues;
    /** percentile: the sketch's bins, each bin's representative value ascending; null for other aggregations. */
    public double[] sketchValues;
    /** percentile: each bin's count, in the order of {@link #sketchValues}. */
    public long[] sketchCounts;

    public MetricRow() {
    }

    @Override
    public MetricRow copy() {
        MetricRow r = new MetricRow();
        r.value = value;
        r.numerator = numerator;
        r.denominator = denominator;
        // shared, as the dimensions: nothing writes to them once the row is built
        r.distinctValues = distinctValues;
        r.sketchValues = sketchValues;
        r.sketchCounts = sketchCounts;
        return copyKeyTo(r);
    }
}
