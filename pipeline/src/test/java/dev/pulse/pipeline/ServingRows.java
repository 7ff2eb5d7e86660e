package dev.pulse.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.RollupLayout;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a plan's serving tables back, through the shared {@link TableLayout}. */
final class ServingRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A row as stored. */
    record Stored(ExpectedMetrics.Row row, boolean isFinal) {
    }

    private ServingRows() {
    }

    /** The rows of the plan's Metrics (its Funnels and Retentions: {@link #analysisRows}). */
    static Map<String, Stored> read(String jdbcUrl, PipelinePlan plan) throws SQLException {
        Map<String, Stored> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            for (AnalysisPlan a : plan.analyses()) {
                if (a.metric() != null) {
                    rows.putAll(read(c, a, TableLayout.of(a)));
                }
            }
        }
        return rows;
    }

    /**
     * The rows of the plan's rollups at a grain, as rows of their Metric (numerator and
     * denominator only where a ratio or an avg carries them).
     */
    static Map<String, Stored> readRollups(String jdbcUrl, PipelinePlan plan, long grainMs) throws SQLException {
        Map<String, Stored> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            for (AnalysisPlan a : plan.analyses()) {
                for (RollupLayout r : RollupLayout.of(a)) {
                    if (r.grainMs() == grainMs) {
                        rows.putAll(read(c, a, r.table()));
                    }
                }
            }
        }
        return rows;
    }

    private static Map<String, Stored> read(Connection c, AnalysisPlan a, TableLayout layout) throws SQLException {
        Map<String, Stored> rows = new HashMap<>();
        if (!exists(c, layout)) {
            return rows;
        }
        boolean ratio = a.metric().aggregation() == AggregationType.ratio;
        boolean weighted = ratio || a.metric().aggregation() == AggregationType.avg;
        List<String> columns = new ArrayList<>(layout.keyColumns());
        columns.addAll(List.of("value", "numerator", "denominator", "final"));
        String sql = "SELECT " + String.join(", ", columns.stream().map(TableLayout::quote).toList()) + " FROM " + layout.qualifiedName();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> dims = new ArrayList<>();
                for (int i = 0; i < layout.dimensionColumns().size(); i++) {
                    dims.add(TableLayout.dimensionValue(rs.getString(3 + i)));
                }
                int v = 3 + dims.size();
                Double value = rs.getObject(v) == null ? null : rs.getDouble(v);
                Long num = rs.getObject(v + 1) == null || !ratio ? null : rs.getLong(v + 1);
                Long den = rs.getObject(v + 2) == null || !weighted ? null : rs.getLong(v + 2);
                ExpectedMetrics.Row r = new ExpectedMetrics.Row(a.name(),
                        rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(),
                        rs.getObject(2, OffsetDateTime.class).toInstant().toEpochMilli(), dims, value, num, den);
                rows.put(r.key(), new Stored(r, rs.getBoolean(v + 3)));
            }
        }
        return rows;
    }

    static long finalCount(String jdbcUrl, PipelinePlan plan) throws SQLException {
        return read(jdbcUrl, plan).values().stream().filter(Stored::isFinal).count();
    }

    /**
     * The rows of a Funnel's or Retention's table in the replay's JSON shape (a retention period
     * not complete reads as null), only the final ones when asked.
     */
    static Set<JsonNode> analysisRows(String jdbcUrl, AnalysisPlan a, boolean finalOnly) throws Exception {
        TableLayout layout = TableLayout.of(a);
        Set<JsonNode> rows = new HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            if (!exists(c, layout)) {
                return rows;
            }
            String sql = "SELECT * FROM " + layout.qualifiedName() + (finalOnly ? " WHERE " + TableLayout.quote(TableLayout.FINAL) : "");
            try (ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    ObjectNode n = JSON.createObjectNode();
                    n.put("kind", a.kind().name());
                    n.put("namespace", a.namespace());
                    n.put("name", a.name());
                    Instant start = r.getTimestamp(TableLayout.WINDOW_START).toInstant();
                    ObjectNode dims = JSON.createObjectNode();
                    for (int i = 0; i < a.dimensions().size(); i++) {
                        dims.put(a.dimensions().get(i), TableLayout.dimensionValue(r.getString(layout.dimensionColumns().get(i))));
                    }
                    if (a.funnel() != null) {
                        n.put("windowStart", start.toString());
                        n.put("windowEnd", r.getTimestamp(TableLayout.WINDOW_END).toInstant().toString());
                        n.set("dimensions", dims);
                        ArrayNode steps = n.putArray("steps");
                        Long[] counts = (Long[]) r.getArray("step_counts").getArray();
                        for (int k = 0; k < counts.length; k++) {
                            steps.addObject().put("name", a.funnel().steps().get(k).name()).put("count", counts[k]);
                        }
                    } else {
                        n.put("cohortStart", start.toString());
                        n.set("dimensions", dims);
                        n.put("cohortSize", r.getLong("cohort_size"));
                        ArrayNode retained = n.putArray("retained");
                        Array values = r.getArray("retained");
                        Boolean[] complete = (Boolean[]) r.getArray("complete").getArray();
                        Long[] counts = (Long[]) values.getArray();
                        for (int k = 0; k < counts.length; k++) {
                            if (complete[k]) {
                                retained.add(counts[k]);
                            } else {
                                retained.addNull();
                            }
                        }
                    }
                    rows.add(JSON.readTree(n.toString()));
                }
            }
        }
        return rows;
    }

    private static boolean exists(Connection c, TableLayout layout) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, layout.schema());
            ps.setString(2, layout.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Only the rows, keyed. */
    static Map<String, ExpectedMetrics.Row> rowsOf(Map<String, Stored> stored) {
        Map<String, ExpectedMetrics.Row> rows = new HashMap<>();
        stored.forEach((k, s) -> rows.put(k, s.row()));
        return rows;
    }
}
