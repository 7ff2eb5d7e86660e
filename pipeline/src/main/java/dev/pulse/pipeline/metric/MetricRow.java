package dev.pulse.pipeline.metric;

import dev.pulse.pipeline.sink.ResultRow;

/**
 * One result of a Metric: a window, the group's dimension values (null when missing), the value,
 * a ratio's two counts, and whether it is final. A Flink POJO.
 */
public class MetricRow extends ResultRow<MetricRow> {
    /** Null when undefined: no values to aggregate, or a ratio's denominator is 0. */
    public Double value;
    /** A ratio's numerator count; null for other aggregations. */
    public Long numerator;
    /** A ratio's denominator count (an avg's number of values); null for other aggregations. */
    public Long denominator;

    public MetricRow() {
    }

    @Override
    public MetricRow copy() {
        MetricRow r = new MetricRow();
        r.value = value;
        r.numerator = numerator;
        r.denominator = denominator;
        return copyKeyTo(r);
    }
}
