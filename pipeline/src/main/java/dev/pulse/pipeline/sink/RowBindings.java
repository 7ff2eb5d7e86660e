package dev.pulse.pipeline.sink;

import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.pipeline.anomaly.AnomalyRow;
import dev.pulse.pipeline.funnel.FunnelRow;
import dev.pulse.pipeline.metric.MetricRow;
import dev.pulse.pipeline.retention.RetentionRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The {@link RowBinding} of each kind of result row: which field fills which {@link TableLayout} value column. */
public final class RowBindings {
    private RowBindings() {
    }

    /** Every column a Metric row can fill. */
    private static final Map<TableLayout.Column, RowBinding.ValueBinder<MetricRow>> METRIC_BINDERS = Map.of(
            TableLayout.VALUE, (c, s, i, r) -> nullableDouble(s, i, r.value),
            TableLayout.NUMERATOR, (c, s, i, r) -> nullableLong(s, i, r.numerator),
            TableLayout.DENOMINATOR, (c, s, i, r) -> nullableLong(s, i, r.denominator),
            TableLayout.DISTINCT_VALUES, (c, s, i, r) -> nullableArray(c, s, i, "text", r.distinctValues),
            TableLayout.SKETCH_VALUES, (c, s, i, r) -> nullableArray(c, s, i, "float8", r.sketchValues == null ? null : boxed(r.sketchValues)),
            TableLayout.SKETCH_COUNTS, (c, s, i, r) -> nullableArray(c, s, i, "bigint", r.sketchCounts == null ? null : boxed(r.sketchCounts)));

    /**
     * Metric rows of an aggregation: value, numerator, denominator (avg rows carry the number of
     * values there), then the aggregation's merge state ({@link TableLayout#metricState}: a
     * countDistinct row's distinct values, a percentile row's sketch bins).
     */
    public static RowBinding<MetricRow> metrics(AggregationType aggregation) {
        List<TableLayout.Column> columns = Stream.concat(TableLayout.METRIC_VALUES.stream(),
                TableLayout.metricState(aggregation).stream()).toList();
        Map<TableLayout.Column, RowBinding.ValueBinder<MetricRow>> binders = new HashMap<>();
        columns.forEach(col -> binders.put(col, METRIC_BINDERS.get(col)));
        return RowBinding.of(columns, binders);
    }

    /** Funnel rows: step counts and the median conversion time (none: -1, stored as null). */
    public static final RowBinding<FunnelRow> FUNNELS = RowBinding.of(TableLayout.FUNNEL_VALUES, Map.of(
            TableLayout.STEP_COUNTS, (c, s, i, r) -> s.setArray(i, c.createArrayOf("bigint", boxed(r.counts))),
            TableLayout.MEDIAN_CONVERSION_MS, (c, s, i, r) -> nullableDouble(s, i,
                    r.medianConversionMs < 0 ? null : (double) r.medianConversionMs)));

    /** Retention rows: cohort size, retained per period and completeness. */
    public static final RowBinding<RetentionRow> RETENTIONS = RowBinding.of(TableLayout.RETENTION_VALUES, Map.of(
            TableLayout.COHORT_SIZE, (c, s, i, r) -> s.setLong(i, r.cohortSize),
            TableLayout.RETAINED, (c, s, i, r) -> s.setArray(i, c.createArrayOf("bigint", boxed(r.retained))),
            TableLayout.COMPLETE, (c, s, i, r) -> s.setArray(i, c.createArrayOf("boolean", boxed(r.complete)))));

    /** Anomaly rows: observed, expected, band and score. */
    public static final RowBinding<AnomalyRow> ANOMALIES = RowBinding.of(TableLayout.ANOMALY_VALUES, Map.of(
            TableLayout.OBSERVED, (c, s, i, r) -> s.setDouble(i, r.observed),
            TableLayout.EXPECTED, (c, s, i, r) -> s.setDouble(i, r.expected),
            TableLayout.LOWER, (c, s, i, r) -> s.setDouble(i, r.lower),
            TableLayout.UPPER, (c, s, i, r) -> s.setDouble(i, r.upper),
            TableLayout.SCORE, (c, s, i, r) -> s.setDouble(i, r.score)));

    private static Long[] boxed(long[] values) {
        Long[] out = new Long[values.length];
        for (int k = 0; k < values.length; k++) {
            out[k] = values[k];
        }
        return out;
    }

    private static Double[] boxed(double[] values) {
        Double[] out = new Double[values.length];
        for (int k = 0; k < values.length; k++) {
            out[k] = values[k];
        }
        return out;
    }

    private static void nullableArray(Connection c, PreparedStatement s, int i, String type, Object[] values) throws SQLException {
        if (values == null) {
            s.setNull(i, Types.ARRAY);
        } else {
            s.setArray(i, c.createArrayOf(type, values));
        }
    }

    private static Boolean[] boxed(boolean[] values) {
        Boolean[] out = new Boolean[values.length];
        for (int k = 0; k < values.length; k++) {
            out[k] = values[k];
        }
        return out;
    }

    private static void nullableDouble(PreparedStatement s, int i, Double v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.DOUBLE);
        } else {
            s.setDouble(i, v);
        }
    }

    private static void nullableLong(PreparedStatement s, int i, Long v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.BIGINT);
        } else {
            s.setLong(i, v);
        }
    }
}
