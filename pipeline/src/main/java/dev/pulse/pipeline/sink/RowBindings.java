package dev.pulse.pipeline.sink;

import dev.pulse.api.serving.TableLayout;
import dev.pulse.pipeline.anomaly.AnomalyRow;
import dev.pulse.pipeline.funnel.FunnelRow;
import dev.pulse.pipeline.metric.MetricRow;
import dev.pulse.pipeline.retention.RetentionRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** The {@link RowBinding} of each kind of result row, in the column order of {@link TableLayout}. */
public final class RowBindings {
    private RowBindings() {
    }

    /** Metric rows: value, numerator, denominator (avg rows carry the number of values there). */
    public static final class Metrics implements RowBinding<MetricRow> {
        private static final long serialVersionUID = 1L;

        @Override
        public List<TableLayout.Column> valueColumns() {
            return TableLayout.METRIC_VALUES;
        }

        @Override
        public long windowStart(MetricRow r) {
            return r.windowStart;
        }

        @Override
        public long windowEnd(MetricRow r) {
            return r.windowEnd;
        }

        @Override
        public String[] dimensions(MetricRow r) {
            return r.dimensions;
        }

        @Override
        public boolean isFinal(MetricRow r) {
            return r.finalResult;
        }

        @Override
        public MetricRow copy(MetricRow r) {
            return r.copy();
        }

        @Override
        public int bindValues(Connection c, PreparedStatement s, int i, MetricRow r) throws SQLException {
            nullableDouble(s, i++, r.value);
            nullableLong(s, i++, r.numerator);
            nullableLong(s, i++, r.denominator);
            return i;
        }
    }

    /** Funnel rows: step counts and the median conversion time. */
    public static final class Funnels implements RowBinding<FunnelRow> {
        private static final long serialVersionUID = 1L;

        @Override
        public List<TableLayout.Column> valueColumns() {
            return TableLayout.FUNNEL_VALUES;
        }

        @Override
        public long windowStart(FunnelRow r) {
            return r.windowStart;
        }

        @Override
        public long windowEnd(FunnelRow r) {
            return r.windowEnd;
        }

        @Override
        public String[] dimensions(FunnelRow r) {
            return r.dimensions;
        }

        @Override
        public boolean isFinal(FunnelRow r) {
            return r.finalResult;
        }

        @Override
        public FunnelRow copy(FunnelRow r) {
            FunnelRow c = new FunnelRow();
            c.windowStart = r.windowStart;
            c.windowEnd = r.windowEnd;
            c.dimensions = r.dimensions.clone();
            c.counts = r.counts.clone();
            c.medianConversionMs = r.medianConversionMs;
            c.finalResult = r.finalResult;
            return c;
        }

        @Override
        public int bindValues(Connection c, PreparedStatement s, int i, FunnelRow r) throws SQLException {
            s.setArray(i++, c.createArrayOf("bigint", boxed(r.counts)));
            nullableDouble(s, i++, r.medianConversionMs < 0 ? null : (double) r.medianConversionMs);
            return i;
        }
    }

    /** Retention rows: cohort size, retained per period and completeness; the window is the cohort's first period. */
    public static final class Retentions implements RowBinding<RetentionRow> {
        private static final long serialVersionUID = 1L;
        private final long periodMs;

        public Retentions(long periodMs) {
            this.periodMs = periodMs;
        }

        @Override
        public List<TableLayout.Column> valueColumns() {
            return TableLayout.RETENTION_VALUES;
        }

        @Override
        public long windowStart(RetentionRow r) {
            return r.cohortStart;
        }

        @Override
        public long windowEnd(RetentionRow r) {
            return r.cohortStart + periodMs;
        }

        @Override
        public String[] dimensions(RetentionRow r) {
            return r.dimensions;
        }

        @Override
        public boolean isFinal(RetentionRow r) {
            return r.finalResult;
        }

        @Override
        public RetentionRow copy(RetentionRow r) {
            RetentionRow c = new RetentionRow();
            c.cohortStart = r.cohortStart;
            c.dimensions = r.dimensions.clone();
            c.cohortSize = r.cohortSize;
            c.retained = r.retained.clone();
            c.complete = r.complete.clone();
            c.finalResult = r.finalResult;
            return c;
        }

        @Override
        public int bindValues(Connection c, PreparedStatement s, int i, RetentionRow r) throws SQLException {
            s.setLong(i++, r.cohortSize);
            s.setArray(i++, c.createArrayOf("bigint", boxed(r.retained)));
            Boolean[] complete = new Boolean[r.complete.length];
            for (int k = 0; k < complete.length; k++) {
                complete[k] = r.complete[k];
            }
            s.setArray(i++, c.createArrayOf("boolean", complete));
            return i;
        }
    }

    /** Anomaly rows: observed, expected, band and score; always final. */
    public static final class Anomalies implements RowBinding<AnomalyRow> {
        private static final long serialVersionUID = 1L;

        @Override
        public List<TableLayout.Column> valueColumns() {
            return TableLayout.ANOMALY_VALUES;
        }

        @Override
        public long windowStart(AnomalyRow r) {
            return r.windowStart;
        }

        @Override
        public long windowEnd(AnomalyRow r) {
            return r.windowEnd;
        }

        @Override
        public String[] dimensions(AnomalyRow r) {
            return r.dimensions;
        }

        @Override
        public boolean isFinal(AnomalyRow r) {
            return true;
        }

        @Override
        public AnomalyRow copy(AnomalyRow r) {
            AnomalyRow c = new AnomalyRow();
            c.windowStart = r.windowStart;
            c.windowEnd = r.windowEnd;
            c.dimensions = r.dimensions.clone();
            c.observed = r.observed;
            c.expected = r.expected;
            c.lower = r.lower;
            c.upper = r.upper;
            c.score = r.score;
            return c;
        }

        @Override
        public int bindValues(Connection c, PreparedStatement s, int i, AnomalyRow r) throws SQLException {
            s.setDouble(i++, r.observed);
            s.setDouble(i++, r.expected);
            s.setDouble(i++, r.lower);
            s.setDouble(i++, r.upper);
            s.setDouble(i++, r.score);
            return i;
        }
    }

    private static Long[] boxed(long[] values) {
        Long[] out = new Long[values.length];
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
