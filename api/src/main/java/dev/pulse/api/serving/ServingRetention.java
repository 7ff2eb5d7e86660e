package dev.pulse.api.serving;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Time retention per {@code serving.retention}: rows whose window ended at least the retention
 * ago are deleted in batches (each its own short transaction, so writers never wait long and the
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

    /** What a pass did. */
    public record Result(long deletedRows, List<String> droppedTables) {
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
                for (TableLayout t : tables(e)) {
                    deleted += deleteBefore(c, t, cutoff, batchSize);
                }
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return new Result(deleted, dropped);
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
