package dev.pulse.serving;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.serving.RollupMaintenance;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Writes rows the way the pipeline does: TableLayout's upsert, values bound. */
final class Rows {
    private Rows() {
    }

    static Instant at(String hhmm) {
        return Instant.parse("2026-01-01T" + hhmm + ":00Z");
    }

    /**
     * A metric row: window [start, start + window size), one value per dimension, value/numerator/denominator, final;
     * in one transaction with the refresh of its rollup buckets, as the pipeline's sink writes a batch.
     */
    static void metric(Connection c, AnalysisPlan plan, String start, String[] dims, Double value, Long num, Long den, boolean fin)
            throws SQLException {
        metric(c, plan, at(start), dims, value, num, den, fin);
    }

    /** {@link #metric(Connection, AnalysisPlan, String, String[], Double, Long, Long, boolean)} at any instant. */
    static void metric(Connection c, AnalysisPlan plan, Instant start, String[] dims, Double value, Long num, Long den, boolean fin)
            throws SQLException {
        write(c, plan, start, dims, fin, value, num, den);
    }

    /**
     * A countDistinct or percentile metric row with its merge state, as the pipeline writes it:
     * {@code state} follows {@link TableLayout#metricState} (distinct values as a {@code String[]};
     * sketch bin values and counts as {@code Double[]} and {@code Long[]}).
     */
    static void metricWithState(Connection c, AnalysisPlan plan, String start, String[] dims, Double value, boolean fin, Object... state)
            throws SQLException {
        Object[] values = new Object[3 + state.length];
        values[0] = value;
        System.arraycopy(state, 0, values, 3, state.length);
        write(c, plan, at(start), dims, fin, values);
    }

    private static void write(Connection c, AnalysisPlan plan, Instant start, String[] dims, boolean fin, Object... values)
            throws SQLException {
        TableLayout t = TableLayout.of(plan);
        String[] stored = new String[dims.length];
        for (int i = 0; i < dims.length; i++) {
            stored[i] = TableLayout.storedDimension(dims[i]);
        }
        if (!c.getAutoCommit()) {
            // inside the caller's transaction: its partitions and its commit are the caller's business
            upsert(c, t, start, start.plusMillis(plan.window().sizeMs()), dims, fin, values);
            new RollupMaintenance(t, plan.metric()).afterUpsert(c, new long[] {start.toEpochMilli()}, List.<String[]>of(stored));
            return;
        }
        ServingSchema.ensurePartitions(c, t, List.of(start.toEpochMilli()));
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            upsert(c, t, start, start.plusMillis(plan.window().sizeMs()), dims, fin, values);
            new RollupMaintenance(t, plan.metric()).afterUpsert(c, new long[] {start.toEpochMilli()}, List.<String[]>of(stored));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** One upsert; outside a transaction, the day partition it needs first (inside one, the caller's business). */
    static void upsert(Connection c, TableLayout t, Instant start, Instant end, String[] dims, boolean fin, Object... values)
            throws SQLException {
        if (c.getAutoCommit()) {
            ServingSchema.ensurePartitions(c, t, List.of(start.toEpochMilli()));
        }
        try (PreparedStatement s = c.prepareStatement(t.upsertSql())) {
            int i = 1;
            s.setObject(i++, OffsetDateTime.ofInstant(start, ZoneOffset.UTC));
            s.setObject(i++, OffsetDateTime.ofInstant(end, ZoneOffset.UTC));
            for (String d : dims) {
                s.setString(i++, TableLayout.storedDimension(d));
            }
            // the written columns in order; those left out (a metric's merge state) are null
            List<TableLayout.Column> columns = t.writtenColumns();
            for (int k = 0; k < columns.size(); k++) {
                Object v = k < values.length ? values[k] : null;
                String type = columns.get(k).sqlType();
                if (v == null) {
                    s.setNull(i++, type.endsWith("[]") ? Types.ARRAY : type.equals("bigint") ? Types.BIGINT : Types.DOUBLE);
                } else if (v instanceof Long[] longs) {
                    s.setArray(i++, c.createArrayOf("bigint", longs));
                } else if (v instanceof Boolean[] bools) {
                    s.setArray(i++, c.createArrayOf("boolean", bools));
                } else if (v instanceof Double[] doubles) {
                    s.setArray(i++, c.createArrayOf("float8", doubles));
                } else if (v instanceof String[] strings) {
                    s.setArray(i++, c.createArrayOf("text", strings));
                } else {
                    s.setObject(i++, v);
                }
            }
            s.setBoolean(i, fin);
            s.executeUpdate();
        }
    }
}
