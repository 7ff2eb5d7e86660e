package dev.pulse.operator.drift;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.api.v1alpha1.metric.ReconciliationSpec;
import dev.pulse.operator.serving.ServingDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compares one day of a Metric: the serving store's streaming values against the batch source's. */
public final class DayComparer {
    public static final double DEFAULT_RELATIVE_TOLERANCE = 0.005;

    private DayComparer() {
    }

    /**
     * @param serving a connection to the serving store
     * @param batch a read-only connection to the batch source
     */
    public static DriftOutcome compare(ReconciliationSpec spec, AnalysisPlan plan, LocalDate day, ZoneId zone, Connection serving,
            Connection batch, int timeoutSeconds) {
        List<String> dimensions = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        Map<String, String> mapping = spec.getDimensionColumns() == null ? Map.of() : spec.getDimensionColumns();
        for (String d : mapping.keySet()) {
            if (!plan.dimensions().contains(d)) {
                return DriftOutcome.of(day, DriftOutcome.Kind.NOT_COMPARABLE, "spec.reconciliation.dimensionColumns: '" + d
                        + "' is not a dimension of the Metric (its dimensions: " + plan.dimensions() + ")");
            }
        }
        for (String d : plan.dimensions()) {
            if (mapping.containsKey(d)) {
                dimensions.add(d);
                columns.add(mapping.get(d));
            }
        }
        AggregationType aggregation = plan.metric().aggregation();
        DayValues streaming;
        try {
            streaming = StreamingDayTotals.read(serving, plan, dimensions, DriftSchedule.start(day, zone), DriftSchedule.end(day, zone), timeoutSeconds);
        } catch (NotComparableException e) {
            return DriftOutcome.of(day, DriftOutcome.Kind.NOT_COMPARABLE, e.getMessage());
        } catch (SQLException e) {
            return DriftOutcome.of(day, DriftOutcome.Kind.FAILED, ServingDatabase.describe(e));
        }
        DayValues batchValues;
        try {
            batchValues = BatchDayTotals.read(batch, spec, aggregation, dimensions, columns, day, timeoutSeconds);
        } catch (IllegalArgumentException e) {
            return DriftOutcome.of(day, DriftOutcome.Kind.FAILED, "batch source '" + spec.getSource() + "': " + e.getMessage());
        } catch (SQLException e) {
            // the table and columns are the Metric's own (spec.reconciliation); the driver's text is not repeated
            return DriftOutcome.of(day, DriftOutcome.Kind.FAILED, ServingDatabase.describe(e, "batch source '" + spec.getSource() + "'")
                    + " reading table '" + spec.getTable() + "' (spec.reconciliation: table, dayColumn, valueColumn, dimensionColumns)");
        }
        if (batchValues.isEmpty()) {
            DriftComparison s = DriftComparison.compare(aggregation, streaming, streaming, tolerance(spec));
            return new DriftOutcome(day, DriftOutcome.Kind.BATCH_ROW_MISSING, null, s.streaming(), null);
        }
        return DriftOutcome.compared(day, DriftComparison.compare(aggregation, streaming, batchValues, tolerance(spec)));
    }

    /** The relative tolerance (default 0.005, or none when only an absolute one is given), for the tolerance gauge. */
    public static Double relativeTolerance(ReconciliationSpec spec) {
        return tolerance(spec).relative();
    }

    static DriftComparison.Tolerance tolerance(ReconciliationSpec spec) {
        var t = spec.getTolerance();
        Double relative = t == null || t.getRelative() == null ? (t != null && t.getAbsolute() != null ? null : DEFAULT_RELATIVE_TOLERANCE)
                : t.getRelative();
        return new DriftComparison.Tolerance(relative, t == null ? null : t.getAbsolute());
    }
}
