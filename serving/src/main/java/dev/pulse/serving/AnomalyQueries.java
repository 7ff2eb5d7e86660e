package dev.pulse.serving;

import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.TableLayout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads a metric's anomalies table: one row per anomalous point, every dimension. */
final class AnomalyQueries {
    private AnomalyQueries() {
    }

    static Answers.Anomalies anomalies(Connection c, Catalog.Entry e, TableLayout table, Selection sel, int limit) throws SQLException {
        String sql = "SELECT \"window_start\", \"window_end\", \"observed\", \"expected\", \"lower\", \"upper\", \"score\""
                + sel.groupColumns(e) + " FROM " + table.qualifiedName() + sel.where(e)
                + " ORDER BY \"window_start\", \"window_end\"" + sel.groupColumns(e) + " LIMIT ?";
        List<Answers.Anomaly> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(sel.bind(c, s), limit + 1);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (out.size() == limit) {
                        throw MetricQueries.tooMany(limit);
                    }
                    out.add(new Answers.Anomaly(r.getTimestamp(1).toInstant().toString(), r.getTimestamp(2).toInstant().toString(),
                            sel.dimensions(r, 8), number(r, 3), number(r, 4), number(r, 5), number(r, 6), number(r, 7)));
                }
            }
        }
        return new Answers.Anomalies(out);
    }

    private static Double number(ResultSet r, int column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? null : v;
    }
}
