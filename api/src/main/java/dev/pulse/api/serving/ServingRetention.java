package dev.pulse.api.serving;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time retention per {@code serving.retention}: a detail table's day partitions whose every
 * window ended at least the retention ago are dropped whole (no DELETE on the big tables); rows
 * of rollup and anomalies tables (and of detail tables made before partitioning) whose window
 * ended at least the retention ago are deleted in batches (each its own short transaction, so writers never wait long and the
 * work resumes where it stopped), from the detail, rollup and anomalies tables alike. Retired
 * versions are dropped once their retention has passed since they were retired: by then every
 * row in them would have expired. The operator calls {@link #enforce} periodically, and
 * {@link #dropNow} for an analysis deleted with {@code deletionPolicy: Delete}.
 *
 * <p>Deletes do not touch rollups (only writers refresh them): a rollup bucket keeps its full
 * value until it expires itself.
 */
public final class ServingRetention {
    private ServingRetention() {
    }

    /**
     * What a pass did.
     *
     * @param deletedRows rows deleted (rollups, anomalies, detail tables made before partitioning)
     * @param droppedTables tables of retired versions dropped
     * @param droppedPartitions expired day partitions of detail tables dropped ({@code schema.table})
     */
    public record Result(long deletedRows, List<String> droppedTables, List<String> droppedPartitions) {
    }

    /**
     * One retention pass over every analysis in the catalog.
     *
     * @param now the current time (a Clock's instant)
     * @param batchSize rows per delete statement (e.g. 10000)
     */
    public static Result enforce(Connection c, Instant now, int batchSize) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        long deleted = 0;
        List<String> dropped = new ArrayList<>();
        List<String> droppedPartitions = new ArrayList<>();
        try {
            for (Catalog.Entry e : Catalog.read(c)) {
                if (e.retentionMs() <= 0) {
                    continue;
                }
                if (e.status().equals(Catalog.RETIRED)) {
                    if (e.retiredAt() != null && !e.retiredAt().plusMillis(e.retentionMs()).isAfter(now)) {
                        dropped.addAll(drop(c, e));
                    }
                    continue;
                }
                Instant cutoff = now.minusMillis(e.retentionMs());
                TableLayout detail = e.detail();
                if (ServingSchema.isPartitioned(c, detail)) {
                    // today's and tomorrow's partitions exist before the first write of the day needs them
                    ServingSchema.ensurePartitions(c, detail, List.of(now.toEpochMilli()));
                    droppedPartitions.addAll(dropExpiredPartitions(c, detail, cutoff));
                } else {
                    deleted += deleteBefore(c, detail, cutoff, batchSize);
                }
                List<TableLayout> others = tables(e);
                for (TableLayout t : others.subList(1, others.size())) {
                    deleted += deleteBefore(c, t, cutoff, batchSize);
                }
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return new Result(deleted, dropped, droppedPartitions);
    }

    /**
     * Drops every version of an analysis now (its resource was deleted with {@code deletionPolicy:
     * Delete}): each version's tables go, one transaction per version, and its catalog row says
     * {@code dropped}.
     *
     * @return the tables dropped ({@code schema.table})
     */
    public static List<String> dropNow(Connection c, String namespace, String kind, String name) throws SQLException {
        List<String> dropped = new ArrayList<>();
        for (Catalog.Entry e : Catalog.read(c)) {
            if (e.namespace().equals(namespace) && e.kind().name().equals(kind) && e.name().equals(name) && !e.status().equals(Catalog.DROPPED)) {
                dropped.addAll(drop(c, e));
            }
        }
        return dropped;
    }

    private static List<TableLayout> tables(Catalog.Entry e) {
        List<TableLayout> out = new ArrayList<>();
        out.add(e.detail());
        e.rollups().forEach(r -> out.add(r.table()));
        if (e.anomalies() != null) {
            out.add(e.anomalies());
        }
        return out;
    }

    /**
     * Drops the partitions of a partitioned detail table whose every row has expired: the day
     * ended at or before the cutoff and no window in it ends after the cutoff (a window longer
     * than the rest of its day). Each drop is its own transaction under the DDL lock.
     *
     * @return the partitions dropped ({@code schema.table})
     */
    public static List<String> dropExpiredPartitions(Connection c, TableLayout detail, Instant cutoff) throws SQLException {
        List<String[]> expired = new ArrayList<>();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // bounds printed in UTC, as the partitions were made
            s.execute("SET LOCAL TimeZone = 'UTC'");
            try (PreparedStatement q = c.prepareStatement("SELECT n.nspname, p.relname, pg_get_expr(p.relpartbound, p.oid) "
                    + "FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid JOIN pg_namespace n ON n.oid = p.relnamespace "
                    + "WHERE i.inhparent = to_regclass(?)")) {
                q.setString(1, detail.qualifiedName());
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        Matcher m = RANGE.matcher(r.getString(3));
                        if (m.find() && !OffsetDateTime.parse(m.group(2).replace(' ', 'T') + ":00").toInstant().isAfter(cutoff)) {
                            expired.add(new String[] {r.getString(1), r.getString(2)});
                        }
                    }
                }
            }
            c.commit();
        } finally {
            c.setAutoCommit(autoCommit);
        }
        List<String> dropped = new ArrayList<>();
        for (String[] p : expired) {
            String partition = TableLayout.quote(p[0]) + "." + TableLayout.quote(p[1]);
            ServingSchema.inTransaction(c, () -> {
                try (Statement s = c.createStatement()) {
                    ServingSchema.lockDdl(s);
                    try (PreparedStatement q = c.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM " + partition + " WHERE "
                            + TableLayout.quote(TableLayout.WINDOW_END) + " > ?)")) {
                        q.setTimestamp(1, Timestamp.from(cutoff));
                        try (ResultSet r = q.executeQuery()) {
                            r.next();
                            if (!r.getBoolean(1)) {
                                return;
                            }
                        }
                    }
                    s.execute("DROP TABLE " + partition);
                    dropped.add(p[0] + "." + p[1]);
                }
            });
        }
        return dropped;
    }

    /** A range partition's bound as PostgreSQL prints it: FOR VALUES FROM ('…') TO ('…'). */
    private static final Pattern RANGE = Pattern.compile("FROM \\('([^']+)'\\) TO \\('([^']+)'\\)");

    /** Deletes, batch by batch, the rows of a table whose window ended at or before the cutoff. */
    public static long deleteBefore(Connection c, TableLayout t, Instant cutoff, int batchSize) throws SQLException {
        if (!ServingSchema.exists(c, t)) {
            return 0;
        }
        // window_start < cutoff uses the primary key; window_end <= cutoff keeps windows still partly inside
        String sql = "DELETE FROM " + t.qualifiedName() + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + t.qualifiedName()
                + " WHERE " + TableLayout.quote(TableLayout.WINDOW_START) + " < ? AND " + TableLayout.quote(TableLayout.WINDOW_END) + " <= ? LIMIT ?))";
        long total = 0;
        try (PreparedStatement s = c.prepareStatement(sql)) {
            while (true) {
                s.setTimestamp(1, Timestamp.from(cutoff));
                s.setTimestamp(2, Timestamp.from(cutoff));
                s.setInt(3, batchSize);
                int n = s.executeUpdate();
                total += n;
                if (n < batchSize) {
                    return total;
                }
            }
        }
    }

    private static List<String> drop(Connection c, Catalog.Entry e) throws SQLException {
        List<String> dropped = new ArrayList<>();
        ServingSchema.inTransaction(c, () -> {
            try (Statement s = c.createStatement()) {
                ServingSchema.lockDdl(s);
                ServingSchema.dropRollupTriggers(c, s, e.detail());
                List<TableLayout> tables = tables(e);
                // rollups and anomalies first, the detail table last
                for (int i = tables.size() - 1; i >= 0; i--) {
                    s.execute("DROP TABLE IF EXISTS " + tables.get(i).qualifiedName());
                    dropped.add(tables.get(i).schema() + "." + tables.get(i).table());
                }
                ServingSchema.setStatus(c, e, Catalog.DROPPED);
            }
        });
        return dropped;
    }
}
