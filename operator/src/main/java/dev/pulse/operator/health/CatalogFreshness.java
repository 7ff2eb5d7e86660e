package dev.pulse.operator.health;

import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.TableLayout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Freshness of a stream's analyses: one query of the serving catalog per stream, reading the
 * progress columns of each analysis's active version ({@code latest_final_window_end},
 * {@code latest_update}, kept current by {@code ServingSchema.refresh}), and for an analysis with
 * dimensions whether its recent windows hit {@code spec.limits.maxGroups} ({@link CappedGroups}).
 * Bound values only.
 */
public final class CatalogFreshness {
    private static final String SQL = "SELECT kind, name, latest_final_window_end, latest_update, version, schema_name, table_name, "
            + "dimension_columns, window_ms FROM " + Catalog.QUALIFIED
            + " WHERE namespace = ? AND status = ? AND (kind || '/' || name) = ANY (?)";

    private CatalogFreshness() {
    }

    /**
     * @param analyses {@link StreamHealth#key} of each analysis of the stream
     * @return readings by key; an analysis without an active catalog row is absent; empty when there is no catalog yet
     */
    public static Map<String, FreshnessReading> read(Connection c, String namespace, List<String> analyses, int timeoutSeconds)
            throws SQLException {
        Map<String, FreshnessReading> out = new HashMap<>();
        if (analyses.isEmpty() || !Catalog.exists(c)) {
            return out;
        }
        try (PreparedStatement s = c.prepareStatement(SQL)) {
            s.setQueryTimeout(timeoutSeconds);
            s.setString(1, namespace);
            s.setString(2, Catalog.ACTIVE);
            s.setArray(3, c.createArrayOf("text", analyses.toArray()));
            List<TableLayout> tables = new ArrayList<>();
            List<Long> windows = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String key = StreamHealth.key(r.getString(1), r.getString(2));
                    out.put(key, new FreshnessReading(instant(r.getTimestamp(3)), instant(r.getTimestamp(4)), r.getString(5)));
                    List<String> dimensions = List.of((String[]) r.getArray(8).getArray());
                    if (!dimensions.isEmpty()) {
                        keys.add(key);
                        tables.add(TableLayout.of(r.getString(6), r.getString(7), dimensions, List.of()));
                        windows.add(r.getLong(9));
                    }
                }
            }
            for (int i = 0; i < keys.size(); i++) {
                Instant capped = CappedGroups.latestCappedWindow(c, tables.get(i), windows.get(i), timeoutSeconds);
                if (capped != null) {
                    out.put(keys.get(i), out.get(keys.get(i)).withCappedWindow(capped));
                }
            }
        }
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
