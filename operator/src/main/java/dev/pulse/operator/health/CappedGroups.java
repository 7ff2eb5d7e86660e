package dev.pulse.operator.health;

import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.common.AnalysisLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Whether an analysis's recent windows hit {@code spec.limits.maxGroups}: the pipeline then counts
 * the combinations over the limit in one row whose every dimension is {@code __other__}
 * (docs/semantics.md, "Cardinality"), so such a row in the table of the active version says so.
 * "Recent" is the latest {@value #RECENT_WINDOWS} windows the table holds (by window start, not by
 * the wall clock: a backfilled or replayed table reads the same), so the signal clears once the
 * analysis's latest windows fit again. One bounded query on the table's primary key range.
 */
public final class CappedGroups {
    /** How many of the latest windows of a table are looked at. */
    public static final int RECENT_WINDOWS = 10;

    private CappedGroups() {
    }

    /**
     * @param windowMs the analysis's window size (a Retention: its period)
     * @return the start of the latest recent window with an {@code __other__} row, or null when none has one
     */
    public static Instant latestCappedWindow(Connection c, TableLayout table, long windowMs, int timeoutSeconds) throws SQLException {
        if (table.dimensionColumns().isEmpty()) {
            return null;
        }
        StringBuilder sql = new StringBuilder("SELECT max(").append(TableLayout.quote(TableLayout.WINDOW_START)).append(") FROM ")
                .append(table.qualifiedName()).append(" WHERE ");
        for (String column : table.dimensionColumns()) {
            sql.append(TableLayout.quote(column)).append(" = ? AND ");
        }
        sql.append(TableLayout.quote(TableLayout.WINDOW_START)).append(" >= (SELECT max(").append(TableLayout.quote(TableLayout.WINDOW_START))
                .append(") FROM ").append(table.qualifiedName()).append(") - ? * interval '1 millisecond'");
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            s.setQueryTimeout(timeoutSeconds);
            int i = 1;
            for (int d = 0; d < table.dimensionColumns().size(); d++) {
                s.setString(i++, AnalysisLimits.OTHER);
            }
            s.setLong(i, (RECENT_WINDOWS - 1) * Math.max(1, windowMs));
            try (ResultSet r = s.executeQuery()) {
                Timestamp t = r.next() ? r.getTimestamp(1) : null;
                return t == null ? null : t.toInstant();
            }
        }
    }
}
