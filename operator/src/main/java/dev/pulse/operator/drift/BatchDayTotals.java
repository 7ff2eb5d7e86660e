package dev.pulse.operator.drift;

import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.api.v1alpha1.metric.ReconciliationSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The batch values of one day: {@code SELECT <dimension columns>, <value column> FROM <table>
 * WHERE <day column> = ?}, identifiers from the resource checked and double-quoted, the day bound.
 * Several rows for the same dimension values are added up for count, sum and countDistinct, and
 * combined with min or max for those; for the others the table must hold one row per day and
 * dimension values (the last one read wins).
 */
public final class BatchDayTotals {
    private static final Pattern IDENTIFIER = Pattern.compile(ReconciliationSpec.IDENTIFIER);

    private BatchDayTotals() {
    }

    /**
     * @param dimensions Metric dimensions, in order; {@code columns} the batch column of each
     * @return empty values when the table has no row for the day
     */
    public static DayValues read(Connection c, ReconciliationSpec spec, AggregationType aggregation, List<String> dimensions, List<String> columns,
            LocalDate day, int timeoutSeconds) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String col : columns) {
            sql.append(quote(col)).append(", ");
        }
        sql.append(quote(spec.getValueColumn())).append(" FROM ").append(qualified(spec.getTable())).append(" WHERE ")
                .append(quote(spec.getDayColumn())).append(" = ?");
        Map<List<String>, Double> values = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            s.setQueryTimeout(timeoutSeconds);
            s.setObject(1, day);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String[] key = new String[columns.size()];
                    for (int i = 0; i < key.length; i++) {
                        key[i] = r.getString(i + 1);
                    }
                    double v = r.getDouble(columns.size() + 1);
                    if (r.wasNull()) {
                        continue;
                    }
                    values.merge(Arrays.asList(key), v, (a, b) -> switch (aggregation) {
                        case count, sum, countDistinct -> a + b;
                        case min -> Math.min(a, b);
                        case max -> Math.max(a, b);
                        default -> b;
                    });
                }
            }
        }
        return new DayValues(dimensions, values);
    }

    /** A double-quoted identifier; it must match {@link ReconciliationSpec#IDENTIFIER} (so it holds no quote). */
    static String quote(String identifier) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException("invalid SQL identifier '" + identifier + "': letters, digits and '_', starting with a letter or '_'");
        }
        return "\"" + identifier + "\"";
    }

    /** {@code table} or {@code schema.table}, each part quoted. */
    static String qualified(String table) {
        List<String> parts = new ArrayList<>(Arrays.asList(table.split("\\.", -1)));
        if (parts.size() > 2) {
            throw new IllegalArgumentException("invalid table '" + table + "': table or schema.table");
        }
        return String.join(".", parts.stream().map(BatchDayTotals::quote).toList());
    }
}
