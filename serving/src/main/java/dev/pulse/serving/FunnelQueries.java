package dev.pulse.serving;

import dev.pulse.api.plan.FunnelPlan;
import dev.pulse.api.serving.Catalog;
import dev.pulse.api.v1alpha1.funnel.FunnelSpec;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a funnel's rows from its detail table. Grouping by fewer dimensions sums the step counts
 * of the rows it combines, which is exact for {@code countBy: totals} only (an actor can count in
 * two breakdown rows under {@code uniques}); a combined row has no median.
 */
final class FunnelQueries {
    private FunnelQueries() {
    }

    static Answers.FunnelRows rows(Connection c, Catalog.Entry e, Selection sel, int limit) throws SQLException {
        FunnelPlan funnel = e.plan().funnel();
        boolean combine = !sel.allDimensions(e);
        if (combine && funnel.countBy() != FunnelSpec.CountBy.totals) {
            throw new ApiError.BadParameter("groupBy: a funnel counted by " + funnel.countBy()
                    + " cannot combine breakdown rows (an actor may count in several); group by every dimension "
                    + e.dimensions() + " or count by totals");
        }
        String sql = "SELECT \"window_start\", \"window_end\", \"step_counts\", \"median_conversion_ms\", \"final\""
                + sel.groupColumns(e) + " FROM " + e.detail().qualifiedName() + sel.where(e)
                + " ORDER BY \"window_start\", \"window_end\"" + sel.groupColumns(e) + (combine ? "" : " LIMIT ?");
        Map<String, Combined> rows = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = sel.bind(c, s);
            if (!combine) {
                s.setInt(i, limit + 1);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String start = r.getTimestamp(1).toInstant().toString();
                    String end = r.getTimestamp(2).toInstant().toString();
                    Map<String, String> dims = sel.dimensions(r, 6);
                    long[] counts = counts(r.getArray(3), funnel.steps().size());
                    double median = r.getDouble(4);
                    Double medianOrNull = r.wasNull() ? null : median;
                    boolean fin = r.getBoolean(5);
                    String key = start + "|" + end + "|" + dims;
                    Combined row = rows.get(key);
                    if (row == null) {
                        if (rows.size() == limit) {
                            throw MetricQueries.tooMany(limit);
                        }
                        rows.put(key, new Combined(start, end, dims, counts, medianOrNull, fin));
                    } else {
                        row.add(counts, fin);
                    }
                }
            }
        }
        List<Answers.FunnelRow> out = new ArrayList<>();
        for (Combined row : rows.values()) {
            out.add(row.answer(funnel));
        }
        return new Answers.FunnelRows(out);
    }

    private static long[] counts(Array a, int steps) throws SQLException {
        long[] out = new long[steps];
        if (a != null) {
            Long[] values = (Long[]) a.getArray();
            for (int k = 0; k < Math.min(steps, values.length); k++) {
                out[k] = values[k] == null ? 0 : values[k];
            }
        }
        return out;
    }

    private static final class Combined {
        final String start;
        final String end;
        final Map<String, String> dims;
        final long[] counts;
        Double median;
        boolean fin;

        Combined(String start, String end, Map<String, String> dims, long[] counts, Double median, boolean fin) {
            this.start = start;
            this.end = end;
            this.dims = dims;
            this.counts = counts;
            this.median = median;
            this.fin = fin;
        }

        void add(long[] more, boolean moreFinal) {
            for (int k = 0; k < counts.length; k++) {
                counts[k] += more[k];
            }
            median = null;
            fin &= moreFinal;
        }

        Answers.FunnelRow answer(FunnelPlan funnel) {
            List<Answers.Step> steps = new ArrayList<>();
            for (int k = 0; k < counts.length; k++) {
                steps.add(new Answers.Step(funnel.steps().get(k).name(), counts[k], ratio(counts[k], counts[0]),
                        ratio(counts[k], k == 0 ? counts[0] : counts[k - 1])));
            }
            return new Answers.FunnelRow(start, end, dims, steps, median, fin);
        }

        private static Double ratio(long a, long b) {
            return b == 0 ? null : (double) a / b;
        }
    }
}
