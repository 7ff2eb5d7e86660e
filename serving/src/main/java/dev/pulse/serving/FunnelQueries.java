package dev.pulse.serving;

import static dev.pulse.api.serving.TableLayout.quote;

import dev.pulse.api.plan.FunnelPlan;
import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.funnel.FunnelSpec;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a funnel's rows from its detail table. Grouping by fewer dimensions sums the step counts
 * of the rows it combines (in the database, {@code GROUP BY} with a {@code LIMIT} like every query),
 * which is exact for {@code countBy: totals} only (an actor can count in two breakdown rows under
 * {@code uniques}); a combined row has no median.
 */
final class FunnelQueries {
    private FunnelQueries() {
    }

    static Answers.FunnelRows rows(Connection c, Catalog.Entry e, Selection sel, int limit, Cursor at) throws SQLException {
        FunnelPlan funnel = e.plan().funnel();
        boolean combine = !sel.allDimensions(e);
        if (combine && funnel.countBy() != FunnelSpec.CountBy.totals) {
            throw new ApiError.BadParameter("groupBy", "groupBy: a funnel counted by " + funnel.countBy()
                    + " cannot combine breakdown rows (an actor may count in several); group by every dimension "
                    + e.dimensions() + " or count by totals");
        }
        TableLayout t = e.detail();
        int steps = funnel.steps().size();
        int firstGroup = t.rowColumnCount() + 1;
        String sql = combine ? combinedRows(e, sel, t, steps) : sel.selectRows(e, t, t);
        Selection.Page<Answers.FunnelRow> page = sel.read(c, sql, limit, at, r -> {
            long[] counts = counts(r.getArray(TableLayout.STEP_COUNTS.name()), steps);
            List<Answers.Step> out = new ArrayList<>();
            for (int k = 0; k < counts.length; k++) {
                out.add(new Answers.Step(funnel.steps().get(k).name(), counts[k], ratio(counts[k], counts[0]),
                        ratio(counts[k], k == 0 ? counts[0] : counts[k - 1])));
            }
            return new Answers.FunnelRow(Selection.instant(r, TableLayout.WINDOW_START), Selection.instant(r, TableLayout.WINDOW_END),
                    sel.dimensions(r, firstGroup), out, Selection.number(r, TableLayout.MEDIAN_CONVERSION_MS.name()),
                    r.getBoolean(TableLayout.FINAL));
        });
        return new Answers.FunnelRows(page.rows(), page.next(at));
    }

    /**
     * The rows of a window summed over the dimensions not grouped by, with the columns of a whole row
     * ({@link TableLayout#rowSelectList()}: the median null), then the grouped columns; ends in {@code LIMIT ? OFFSET ?}.
     */
    private static String combinedRows(Catalog.Entry e, Selection sel, TableLayout t, int steps) {
        String counts = quote(TableLayout.STEP_COUNTS.name());
        StringBuilder sums = new StringBuilder("ARRAY[");
        for (int k = 1; k <= steps; k++) {
            sums.append(k > 1 ? ", " : "").append("coalesce(sum(").append(counts).append("[").append(k).append("]), 0)::bigint");
        }
        sums.append("]");
        StringBuilder positions = new StringBuilder("1, 2");
        for (int k = 0; k < sel.groupBy().size(); k++) {
            positions.append(", ").append(t.rowColumnCount() + 1 + k);
        }
        return "SELECT " + quote(TableLayout.WINDOW_START) + ", " + quote(TableLayout.WINDOW_END) + ", " + sums + " AS " + counts
                + ", NULL::double precision AS " + quote(TableLayout.MEDIAN_CONVERSION_MS.name())
                + ", bool_and(" + quote(TableLayout.FINAL) + ") AS " + quote(TableLayout.FINAL) + sel.groupColumns(e)
                + " FROM " + t.qualifiedName() + sel.where(e) + " GROUP BY " + positions + " ORDER BY " + positions + " LIMIT ? OFFSET ?";
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

    private static Double ratio(long a, long b) {
        return b == 0 ? null : (double) a / b;
    }
}
