package dev.pulse.api.v1alpha1.metric;

/** Aggregations a Metric can compute. */
public enum AggregationType {
    count, countDistinct, sum, avg, min, max, ratio, percentile;

    /** Whether the aggregation needs a numeric field. */
    public boolean needsNumericField() {
        return this == sum || this == avg || this == min || this == max || this == percentile;
    }
}
