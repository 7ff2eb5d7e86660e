package dev.pulse.operator.drift;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.serving.RollupLayout;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.common.WindowType;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Metric's streaming value for one day {@code [start, end)} (in the reconciliation's time zone),
 * from the serving store, grouped by the reconciled dimensions.
 *
 * <ul>
 * <li>count, sum, min, max, avg, ratio combine exactly: from the coarsest rollup whose grain fits
 * the day (divides its length, aligned to its start), else from the detail table, which then must
 * hold tumbling windows that fit the day; grouped by the reconciled dimensions only.</li>
 * <li>countDistinct and percentile do not combine: the detail table must hold a window that is
 * exactly the day ({@code window: {type: tumbling, size: 1d}} with a UTC day, or the last step of a
 * cumulative 1d window), and every dimension of the Metric must be reconciled. Otherwise the day is
 * {@link NotComparableException not comparable}.</li>
 * </ul>
 * Identifiers come from the compiled plan and are quoted; values are bound.
 */
public final class StreamingDayTotals {
    private StreamingDayTotals() {
    }

    /**
     * @param dimensions the Metric dimensions to group by, a subset of the plan's, in the plan's order
     */
    public static DayValues read(Connection c, AnalysisPlan plan, List<String> dimensions, Instant start, Instant end, int timeoutSeconds)
            throws SQLException, NotComparableException {
        AggregationType aggregation = plan.metric().aggregation();
        TableLayout detail = TableLayout.of(plan);
        List<String> columns = new ArrayList<>();
        for (String d : dimensions) {
            int i = plan.dimensions().indexOf(d);
            if (i < 0) {
                throw new NotComparableException("'" + d + "' is not a dimension of the Metric");
            }
            columns.add(detail.dimensionColumns().get(i));
        }
        long dayMs = end.toEpochMilli() - start.toEpochMilli();
        String select = String.join("", columns.stream().map(col -> TableLayout.quote(col) + ", ").toList());
        String sql;
        Object[] params;
        if (RollupLayout.reaggregates(aggregation)) {
            TableLayout table = null;
            boolean fromRollup = false;
            List<Long> rollups = new ArrayList<>(plan.serving().rollupsMs());
            rollups.sort((a, b) -> Long.compare(b, a));
            for (long g : rollups) {
                if (fits(g, start, dayMs)) {
                    table = RollupLayout.of(detail, aggregation, g).table();
                    fromRollup = true;
                    break;
                }
            }
            if (table == null) {
                boolean tumbling = plan.window() != null && plan.window().type() == WindowType.tumbling;
                if (!tumbling || !fits(plan.window().sizeMs(), start, dayMs)) {
                    throw new NotComparableException("neither a rollup nor the window of this Metric fits the day " + start + " to " + end
                            + ": use tumbling windows or a rollup (spec.serving.rollups, e.g. 1d or 1h) that divide the day in its time zone");
                }
                table = detail;
            }
            sql = "SELECT " + select + RollupLayout.combinedValue(aggregation, fromRollup) + " FROM " + table.qualifiedName()
                    + " WHERE " + TableLayout.quote(TableLayout.WINDOW_START) + " >= ? AND " + TableLayout.quote(TableLayout.WINDOW_START) + " < ?"
                    + (columns.isEmpty() ? "" : " GROUP BY " + String.join(", ", columns.stream().map(TableLayout::quote).toList()));
            params = new Object[] {Timestamp.from(start), Timestamp.from(end)};
        } else {
            if (!dimensions.equals(plan.dimensions())) {
                throw new NotComparableException(aggregation + " values of some dimensions cannot be added up: reconcile every dimension of the Metric "
                        + plan.dimensions() + " (spec.reconciliation.dimensionColumns)");
            }
            sql = "SELECT " + select + TableLayout.VALUE.quoted() + " FROM " + detail.qualifiedName() + " WHERE "
                    + TableLayout.quote(TableLayout.WINDOW_START) + " = ? AND " + TableLayout.quote(TableLayout.WINDOW_END) + " = ?";
            params = new Object[] {Timestamp.from(start), Timestamp.from(end)};
            if (plan.window() == null || !(plan.window().sizeMs() == dayMs && (plan.window().type() == WindowType.tumbling
                    || plan.window().type() == WindowType.cumulative) && start.toEpochMilli() % dayMs == 0)) {
                throw new NotComparableException(aggregation + " cannot be combined from shorter windows: compare it with a window of exactly one day "
                        + "(window: {type: tumbling, size: 1d}, days in UTC)");
            }
        }
        Map<List<String>, Double> values = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setQueryTimeout(timeoutSeconds);
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String[] key = new String[columns.size()];
                    for (int i = 0; i < key.length; i++) {
                        key[i] = TableLayout.dimensionValue(r.getString(i + 1));
                    }
                    double v = r.getDouble(columns.size() + 1);
                    if (!r.wasNull()) {
                        values.put(Arrays.asList(key), v);
                    }
                }
            }
        }
        return new DayValues(dimensions, values);
    }

    /** Whether windows of this size tile the day exactly (the day may be 23 or 25 hours long). */
    static boolean fits(long sizeMs, Instant start, long dayMs) {
        return sizeMs > 0 && dayMs % sizeMs == 0 && start.toEpochMilli() % sizeMs == 0;
    }
}
