package dev.pulse.serving;

import dev.pulse.api.serving.Catalog;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads a retention's cohorts (window_start is the cohort start); an incomplete period reads as null. */
final class RetentionQueries {
    private RetentionQueries() {
    }

    static Answers.Cohorts cohorts(Connection c, Catalog.Entry e, Selection sel, int limit) throws SQLException {
        int periods = e.plan().retention().periods();
        String sql = "SELECT \"window_start\", \"cohort_size\", \"retained\", \"complete\", \"final\"" + sel.groupColumns(e)
                + " FROM " + e.detail().qualifiedName() + sel.where(e) + " ORDER BY \"window_start\"" + sel.groupColumns(e) + " LIMIT ?";
        List<Answers.Cohort> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(sel.bind(c, s), limit + 1);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (out.size() == limit) {
                        throw MetricQueries.tooMany(limit);
                    }
                    Long[] retained = longs(r.getArray(3));
                    Boolean[] complete = booleans(r.getArray(4));
                    List<Long> values = new ArrayList<>();
                    for (int k = 0; k < periods; k++) {
                        boolean done = k < complete.length && Boolean.TRUE.equals(complete[k]);
                        values.add(done && k < retained.length ? retained[k] : null);
                    }
                    out.add(new Answers.Cohort(r.getTimestamp(1).toInstant().toString(), sel.dimensions(r, 6), r.getLong(2), values,
                            r.getBoolean(5)));
                }
            }
        }
        return new Answers.Cohorts(out);
    }

    private static Long[] longs(Array a) throws SQLException {
        return a == null ? new Long[0] : (Long[]) a.getArray();
    }

    private static Boolean[] booleans(Array a) throws SQLException {
        return a == null ? new Boolean[0] : (Boolean[]) a.getArray();
    }
}
