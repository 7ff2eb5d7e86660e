package dev.pulse.serving;

import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.TableLayout;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads a retention's cohorts (window_start is the cohort start); an incomplete period reads as null. */
final class RetentionQueries {
    private RetentionQueries() {
    }

    static Answers.Cohorts cohorts(Connection c, Catalog.Entry e, Selection sel, int limit, Cursor at) throws SQLException {
        int periods = e.plan().retention().periods();
        TableLayout t = e.detail();
        int firstGroup = t.rowColumnCount() + 1;
        Selection.Page<Answers.Cohort> page = sel.read(c, sel.selectRows(e, t, t), limit, at, r -> new Answers.Cohort(
                Selection.instant(r, TableLayout.WINDOW_START), sel.dimensions(r, firstGroup), r.getLong(TableLayout.COHORT_SIZE.name()),
                retained(r, periods), r.getBoolean(TableLayout.FINAL)));
        return new Answers.Cohorts(page.rows(), page.next(at));
    }

    /** The retained count of each period, null while the period is incomplete. */
    private static List<Long> retained(ResultSet r, int periods) throws SQLException {
        Long[] retained = longs(r.getArray(TableLayout.RETAINED.name()));
        Boolean[] complete = booleans(r.getArray(TableLayout.COMPLETE.name()));
        List<Long> values = new ArrayList<>();
        for (int k = 0; k < periods; k++) {
            boolean done = k < complete.length && Boolean.TRUE.equals(complete[k]);
            values.add(done && k < retained.length ? retained[k] : null);
        }
        return values;
    }

    private static Long[] longs(Array a) throws SQLException {
        return a == null ? new Long[0] : (Long[]) a.getArray();
    }

    private static Boolean[] booleans(Array a) throws SQLException {
        return a == null ? new Boolean[0] : (Boolean[]) a.getArray();
    }
}
