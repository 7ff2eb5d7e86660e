package dev.pulse.pipeline;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.TableLayout;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a plan's serving tables back, through the shared {@link TableLayout}. */
final class ServingRows {
    /** A row as stored. */
    record Stored(ExpectedMetrics.Row row, boolean isFinal) {
    }

    private ServingRows() {
    }

    static Map<String, Stored> read(String jdbcUrl, PipelinePlan plan) throws SQLException {
        Map<String, Stored> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            for (AnalysisPlan a : plan.analyses()) {
                TableLayout layout = TableLayout.of(a);
                if (!exists(c, layout)) {
                    continue;
                }
                List<String> columns = new ArrayList<>(layout.keyColumns());
                columns.addAll(List.of("value", "numerator", "denominator", "final"));
                String sql = "SELECT " + String.join(", ", columns.stream().map(TableLayout::quote).toList()) + " FROM " + layout.qualifiedName();
                try (ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        List<String> dims = new ArrayList<>();
                        for (int i = 0; i < layout.dimensionColumns().size(); i++) {
                            dims.add(TableLayout.dimensionValue(rs.getString(3 + i)));
                        }
                        int v = 3 + dims.size();
                        Double value = rs.getObject(v) == null ? null : rs.getDouble(v);
                        Long num = rs.getObject(v + 1) == null ? null : rs.getLong(v + 1);
                        Long den = rs.getObject(v + 2) == null ? null : rs.getLong(v + 2);
                        ExpectedMetrics.Row r = new ExpectedMetrics.Row(a.name(),
                                rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(),
                                rs.getObject(2, OffsetDateTime.class).toInstant().toEpochMilli(), dims, value, num, den);
                        rows.put(r.key(), new Stored(r, rs.getBoolean(v + 3)));
                    }
                }
            }
        }
        return rows;
    }

    static long finalCount(String jdbcUrl, PipelinePlan plan) throws SQLException {
        return read(jdbcUrl, plan).values().stream().filter(Stored::isFinal).count();
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
