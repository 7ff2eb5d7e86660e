package dev.pulse.serving;

import dev.pulse.api.plan.FunnelPlan;
import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.TableLayout;
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
        TableLayout t = e.detail();
        int firstGroup = t.rowColumnCount() + 1;
        String sql = sel.selectRows(e, t, t, !combine);
        Map<Key, Combined> rows = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = sel.bind(c, s);
            if (!combine) {
                s.setInt(i, limit + 1);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Key key = new Key(Selection.instant(r, TableLayout.WINDOW_START), Selection.instant(r, TableLayout.WINDOW_END),
                            sel.dimensions(r, firstGroup));
                    long[] counts = counts(r.getArray(TableLayout.STEP_COUNTS.name()), funnel.steps().size());
                    Double medianOrNull = Selection.number(r, TableLayout.MEDIAN_CONVERSION_MS.name());
                    boolean fin = r.getBoolean(TableLayout.FINAL);
                    Combined row = rows.get(key);
                    if (row == null) {
                        if (rows.size() == limit) {
                            throw Selection.tooMany(limit);
                        }
                        rows.put(key, new Combined(key, counts, medianOrNull, fin));
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

    /** A row's window and grouped dimension values: the rows combined into one answer row share it. */
    private record Key(String start, String end, Map<String, String> dims) {
    }

    private static final class Combined {
        final Key key;
        final long[] counts;
        Double median;
        boolean fin;

        Combined(Key key, long[] counts, Double median, boolean fin) {
            this.key = key;
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
            return new Answers.FunnelRow(key.start(), key.end(), key.dims(), steps, median, fin);
        }

        private static Double ratio(long a, long b) {
            return b == 0 ? null : (double) a / b;
        }
    }
}
