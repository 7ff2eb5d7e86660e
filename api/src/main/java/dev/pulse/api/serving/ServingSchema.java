package dev.pulse.api.serving;

import dev.pulse.api.compile.Names;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.v1alpha1.common.WindowType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates and migrates the serving objects of analyses, over plain JDBC (the operator calls it;
 * so does the embedded stack). Everything is additive: tables are created when missing, never
 * altered or emptied. A semantic change has a new semantic hash, hence new tables: the new
 * version is recorded {@code catching_up} and the old one keeps serving until {@link #refresh}
 * sees the new table's latest final window reach the old one's, then the new one is
 * {@code active} and the old one {@code retired} (dropped by {@link ServingRetention} only once
 * its rows would have expired anyway).
 *
 * <p>Per analysis: the namespace's schema, the detail table ({@link TableLayout}, partitioned by
 * day; partitions come from {@link #ensurePartitions}) with its indexes, a Metric's rollup tables
 * ({@link RollupLayout}; filled here when new, then refreshed by the writers,
 * {@link RollupMaintenance}), its anomalies table when anomaly detection is on, and its catalog
 * row ({@link Catalog}).
 *
 * <p>A {@link SQLException} (database down, say) leaves nothing half-done (one transaction) and is
 * the caller's to turn into a condition and a retry.
 */
public final class ServingSchema {
    /**
     * The transaction-scoped advisory lock that serializes DDL ("pulse" in ASCII): concurrent
     * {@code CREATE ... IF NOT EXISTS} (parallel sink writers, the operator) can still collide in
     * PostgreSQL's catalog.
     */
    public static final long DDL_LOCK = 0x70756c7365L;

    private ServingSchema() {
    }

    /** The progress of a table: the end of its latest final window and its latest write, each null when none. */
    public record Progress(Instant latestFinalWindowEnd, Instant latestUpdate) {
    }

    /** Creates or migrates the serving objects of every analysis in the plans, in one transaction. */
    public static void apply(Connection c, List<PipelinePlan> plans) throws SQLException {
        List<AnalysisPlan> analyses = new ArrayList<>();
        plans.forEach(p -> analyses.addAll(p.analyses()));
        applyAnalyses(c, analyses);
    }

    /** Creates or migrates the serving objects of these analyses, in one transaction. */
    public static void applyAnalyses(Connection c, List<AnalysisPlan> analyses) throws SQLException {
        inTransaction(c, () -> {
            try (Statement s = c.createStatement()) {
                lockDdl(s);
                for (String sql : Catalog.createSql()) {
                    s.execute(sql);
                }
                for (AnalysisPlan a : analyses) {
                    applyAnalysis(c, s, a);
                }
            }
        });
    }

    /**
     * Creates one table (and its schema) when missing, in its own transaction under the DDL lock,
     * without indexes, rollups or catalog row: what a pipeline sink does for its own table when
     * told to create it (no operator, {@code --create-tables}).
     */
    public static void createTable(Connection c, TableLayout t) throws SQLException {
        inTransaction(c, () -> {
            try (Statement s = c.createStatement()) {
                lockDdl(s);
                createTable(s, t);
            }
        });
    }

    /**
     * Makes sure the partitions of a partitioned detail table exist for these window starts and
     * for the day after the latest of them (created ahead, so the next day's first write finds
     * it). Missing ones are created in their own transaction under the DDL lock, so call it
     * before a write's transaction begins: creating a partition locks the parent table, and a
     * writer holding rows of that table while waiting for the DDL lock would deadlock with it.
     * Nothing to do for a plain table (rollups, anomalies, detail tables made before partitioning).
     *
     * @return the day starts (epoch millis) whose rows the table takes now: those of the window
     *     starts and the day after the latest (every day, for a plain table); a writer need not ask again
     */
    public static Set<Long> ensurePartitions(Connection c, TableLayout t, Collection<Long> windowStartsMs) throws SQLException {
        TreeSet<Long> days = new TreeSet<>();
        windowStartsMs.forEach(ms -> days.add(TableLayout.partitionStart(ms)));
        if (days.isEmpty()) {
            return days;
        }
        days.add(days.last() + TableLayout.PARTITION_MS);
        if (!isPartitioned(c, t)) {
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return days;
        }
        List<Long> missing = new ArrayList<>();
        for (long day : days) {
            if (!exists(c, TableLayout.of(t.schema(), t.partitionTable(day), t.dimensionColumns(), t.valueColumns()))) {
                missing.add(day);
            }
        }
        // with a catalog, through its function (a pipeline's own role may not add partitions itself);
        // without one (a job that made its own tables) the writer owns the table
        boolean viaCatalog = !missing.isEmpty() && Catalog.partitionFunctionExists(c);
        if (!c.getAutoCommit()) {
            c.commit(); // the checks opened a transaction: end it before taking locks
        }
        if (missing.isEmpty()) {
            return days;
        }
        inTransaction(c, () -> {
            try (Statement s = c.createStatement()) {
                lockDdl(s);
                for (long day : missing) {
                    s.execute(viaCatalog ? t.createPartitionCallSql(day) : t.createPartitionSql(day));
                }
            }
        });
        return days;
    }

    /** Whether a table exists and is partitioned (relkind {@code p}). */
    public static boolean isPartitioned(Connection c, TableLayout t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(?)")) {
            s.setString(1, t.qualifiedName());
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    /**
     * Takes the DDL lock until the end of the transaction. Waiting for it is waiting for another
     * schema change to finish (ten streams applied at once queue here), so the session's
     * {@code lock_timeout}, which keeps a schema change from waiting on a table a writer holds, is
     * lifted for this wait and put back after; {@code statement_timeout} still bounds it.
     */
    static void lockDdl(Statement s) throws SQLException {
        String lockTimeout;
        try (ResultSet r = s.executeQuery("SELECT current_setting('lock_timeout')")) {
            r.next();
            lockTimeout = r.getString(1);
        }
        s.execute("SET LOCAL lock_timeout = 0");
        s.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
        s.execute("SET LOCAL lock_timeout = '" + lockTimeout.replace("'", "''") + "'");
    }

    private static void createTable(Statement s, TableLayout t) throws SQLException {
        s.execute(t.createSchemaSql());
        s.execute(t.createTableSql());
        // a table of an earlier Pulse lacks the merge-state columns its writers now fill (additive:
        // nullable columns); looked up first, as ALTER TABLE locks the table even when it has them
        if (!t.stateColumns().isEmpty() && missingStateColumns(s.getConnection(), t)) {
            for (String sql : t.addStateColumnsSql()) {
                s.execute(sql);
            }
        }
    }

    private static boolean missingStateColumns(Connection c, TableLayout t) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass(?) "
                + "AND attname = ANY (?) AND NOT attisdropped")) {
            q.setString(1, t.qualifiedName());
            q.setArray(2, c.createArrayOf("text", t.stateColumns().stream().map(TableLayout.Column::name).toArray()));
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1) < t.stateColumns().size();
            }
        }
    }

    private static void applyAnalysis(Connection c, Statement s, AnalysisPlan a) throws SQLException {
        TableLayout detail = TableLayout.of(a);
        createTable(s, detail);
        for (String sql : detailIndexesSql(detail)) {
            s.execute(sql);
        }
        // a table of an earlier Pulse: its triggers go, and its rollups are refilled below (a job still
        // running the earlier image until it is rolled would otherwise leave buckets behind)
        boolean hadTriggers = dropRollupTriggers(c, s, detail) > 0;
        List<RollupLayout> rollups = RollupLayout.of(a);
        List<String> maintained = hadTriggers ? List.of() : maintainedRollups(c, a);
        List<Long> grains = new ArrayList<>();
        grains.add(a.window() == null ? 0L : a.window().sizeMs());
        rollups.forEach(r -> grains.add(r.grainMs()));
        boolean locked = false;
        for (RollupLayout r : rollups) {
            createTable(s, r.table());
            for (String sql : dimensionIndexSql(r.table())) {
                s.execute(sql);
            }
            if (!maintained.contains(r.table().table())) {
                // new, or listed again after a removal (no writer kept it up to date meanwhile): refill it
                // from the rows already there while writes wait; writers maintain it from the commit on
                if (!locked) {
                    s.execute("LOCK TABLE " + detail.qualifiedName() + " IN SHARE ROW EXCLUSIVE MODE");
                    locked = true;
                }
                s.execute("DELETE FROM " + r.table().qualifiedName());
                s.execute(r.refreshSql(grains, false));
            }
        }
        TableLayout anomalies = null;
        if (a.metric() != null && a.metric().anomaly() != null) {
            anomalies = TableLayout.anomalies(a);
            createTable(s, anomalies);
            for (String sql : dimensionIndexSql(anomalies)) {
                s.execute(sql);
            }
        }
        record(c, a, rollups, anomalies);
    }

    /** The rollup tables the catalog lists for this version (its writers maintain them); empty for a new version. */
    private static List<String> maintainedRollups(Connection c, AnalysisPlan a) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT rollup_tables FROM " + Catalog.QUALIFIED
                + " WHERE namespace = ? AND kind = ? AND name = ? AND version = ? AND status <> ?")) {
            int i = bindAnalysis(q, 1, a);
            q.setString(i++, a.semanticHash());
            q.setString(i, Catalog.DROPPED);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? List.of((String[]) r.getArray(1).getArray()) : List.of();
            }
        }
    }

    /**
     * Drops the per-row rollup triggers (and their functions) that earlier versions of Pulse put on
     * a detail table: writers maintain rollups now ({@link RollupMaintenance}).
     *
     * @return how many there were
     */
    static int dropRollupTriggers(Connection c, Statement s, TableLayout detail) throws SQLException {
        List<String[]> triggers = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT t.tgname, n.nspname, p.proname FROM pg_trigger t "
                + "JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace "
                + "WHERE t.tgrelid = to_regclass(?) AND NOT t.tgisinternal AND t.tgname LIKE 'pulse\\_rollup%'")) {
            q.setString(1, detail.qualifiedName());
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    triggers.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
                }
            }
        }
        for (String[] t : triggers) {
            s.execute("DROP TRIGGER IF EXISTS " + TableLayout.quote(t[0]) + " ON " + detail.qualifiedName());
            s.execute("DROP FUNCTION IF EXISTS " + TableLayout.quote(t[1]) + "." + TableLayout.quote(t[2]) + "()");
        }
        return triggers.size();
    }

    /** Indexes of a detail table besides its primary key (window_start, window_end, dimensions). */
    static List<String> detailIndexesSql(TableLayout t) {
        List<String> out = new ArrayList<>(dimensionIndexSql(t));
        // the latest final window (freshness, finality of coarse points) and the latest write (cache keys)
        out.add("CREATE INDEX IF NOT EXISTS " + TableLayout.quote(Names.identifier(t.table(), "final_end")) + " ON "
                + t.qualifiedName() + " (" + TableLayout.quote(TableLayout.WINDOW_END) + ") WHERE " + TableLayout.quote(TableLayout.FINAL));
        out.add("CREATE INDEX IF NOT EXISTS " + TableLayout.quote(Names.identifier(t.table(), "updated")) + " ON "
                + t.qualifiedName() + " (" + TableLayout.quote(TableLayout.UPDATED_AT) + ")");
        return out;
    }

    /** A filter or breakdown by dimension values over a time range: (dimensions..., window_start). */
    private static List<String> dimensionIndexSql(TableLayout t) {
        if (t.dimensionColumns().isEmpty()) {
            return List.of();
        }
        List<String> cols = new ArrayList<>(t.dimensionColumns());
        cols.add(TableLayout.WINDOW_START);
        return List.of("CREATE INDEX IF NOT EXISTS " + TableLayout.quote(Names.identifier(t.table(), "dims")) + " ON "
                + t.qualifiedName() + " (" + String.join(", ", cols.stream().map(TableLayout::quote).toList()) + ")");
    }

    private static void record(Connection c, AnalysisPlan a, List<RollupLayout> rollups, TableLayout anomalies) throws SQLException {
        try (PreparedStatement retire = c.prepareStatement("UPDATE " + Catalog.QUALIFIED
                + " SET status = ?, retired_at = now() WHERE namespace = ? AND kind = ? AND name = ? AND version <> ? AND status = ?")) {
            // an older catching-up version will never catch up: it is no longer in the plan
            retire.setString(1, Catalog.RETIRED);
            bindAnalysis(retire, 2, a);
            retire.setString(5, a.semanticHash());
            retire.setString(6, Catalog.CATCHING_UP);
            retire.executeUpdate();
        }
        boolean otherActive;
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM " + Catalog.QUALIFIED
                + " WHERE namespace = ? AND kind = ? AND name = ? AND version <> ? AND status = ?")) {
            bindAnalysis(q, 1, a);
            q.setString(4, a.semanticHash());
            q.setString(5, Catalog.ACTIVE);
            try (ResultSet r = q.executeQuery()) {
                otherActive = r.next();
            }
        }
        List<Long> grains = new ArrayList<>();
        grains.add(a.window() == null ? 0L : a.window().sizeMs());
        rollups.forEach(r -> grains.add(r.grainMs()));
        String sql = "INSERT INTO " + Catalog.QUALIFIED + " AS t (namespace, kind, name, version, schema_name, table_name, "
                + "dimensions, dimension_columns, window_type, window_ms, grains_ms, rollup_tables, anomalies_table, retention_ms, "
                + "status, plan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) "
                + "ON CONFLICT (namespace, kind, name, version) DO UPDATE SET grains_ms = EXCLUDED.grains_ms, "
                + "rollup_tables = EXCLUDED.rollup_tables, anomalies_table = EXCLUDED.anomalies_table, "
                + "retention_ms = EXCLUDED.retention_ms, plan = EXCLUDED.plan, "
                + "status = CASE WHEN t.status IN ('" + Catalog.RETIRED + "', '" + Catalog.DROPPED + "') THEN EXCLUDED.status ELSE t.status END, "
                + "retired_at = CASE WHEN t.status IN ('" + Catalog.RETIRED + "', '" + Catalog.DROPPED + "') THEN NULL ELSE t.retired_at END";
        try (PreparedStatement u = c.prepareStatement(sql)) {
            int i = bindAnalysis(u, 1, a);
            u.setString(i++, a.semanticHash());
            u.setString(i++, a.serving().schema());
            u.setString(i++, a.serving().table());
            u.setArray(i++, c.createArrayOf("text", a.dimensions().toArray()));
            u.setArray(i++, c.createArrayOf("text", a.serving().columns().toArray()));
            u.setString(i++, (a.window() == null ? WindowType.tumbling : a.window().type()).name());
            u.setLong(i++, grains.get(0));
            u.setArray(i++, c.createArrayOf("bigint", grains.toArray()));
            u.setArray(i++, c.createArrayOf("text", rollups.stream().map(r -> r.table().table()).toArray()));
            u.setString(i++, anomalies == null ? null : anomalies.table());
            u.setLong(i++, a.serving().retentionMs());
            u.setString(i++, otherActive ? Catalog.CATCHING_UP : Catalog.ACTIVE);
            u.setString(i, Catalog.planJson(a));
            u.executeUpdate();
        }
    }

    private static int bindAnalysis(PreparedStatement s, int from, AnalysisPlan a) throws SQLException {
        s.setString(from, a.namespace());
        s.setString(from + 1, a.kind().name());
        s.setString(from + 2, a.name());
        return from + 3;
    }

    /**
     * Records every live version's progress in the catalog, then promotes each catching-up version
     * whose latest final window has reached the active one's (or that has no active version),
     * retiring the version it replaces. Call it periodically (with the freshness probe).
     *
     * @return the catalog rows promoted to active
     */
    public static List<Catalog.Entry> refresh(Connection c) throws SQLException {
        List<Catalog.Entry> promoted = new ArrayList<>();
        inTransaction(c, () -> {
            Map<String, Catalog.Entry> active = new LinkedHashMap<>();
            Map<String, Catalog.Entry> catchingUp = new LinkedHashMap<>();
            for (Catalog.Entry e : Catalog.read(c)) {
                if (e.status().equals(Catalog.RETIRED)) {
                    continue;
                }
                Progress p = probe(c, e.detail());
                try (PreparedStatement u = c.prepareStatement("UPDATE " + Catalog.QUALIFIED
                        + " SET latest_final_window_end = ?, latest_update = ? WHERE namespace = ? AND kind = ? AND name = ? AND version = ?")) {
                    u.setTimestamp(1, timestamp(p.latestFinalWindowEnd()));
                    u.setTimestamp(2, timestamp(p.latestUpdate()));
                    u.setString(3, e.namespace());
                    u.setString(4, e.kind().name());
                    u.setString(5, e.name());
                    u.setString(6, e.version());
                    u.executeUpdate();
                }
                String key = e.namespace() + "/" + e.kind() + "/" + e.name();
                Catalog.Entry withProgress = new Catalog.Entry(e.namespace(), e.kind(), e.name(), e.version(), e.schema(), e.table(),
                        e.dimensions(), e.dimensionColumns(), e.windowType(), e.windowMs(), e.grainsMs(), e.rollupTables(),
                        e.anomaliesTable(), e.retentionMs(), e.status(), e.createdAt(), e.retiredAt(), p.latestFinalWindowEnd(),
                        p.latestUpdate(), e.plan());
                (e.status().equals(Catalog.ACTIVE) ? active : catchingUp).put(key, withProgress);
            }
            for (Map.Entry<String, Catalog.Entry> n : catchingUp.entrySet()) {
                Catalog.Entry next = n.getValue();
                Catalog.Entry current = active.get(n.getKey());
                boolean caughtUp = current == null || current.latestFinalWindowEnd() == null
                        || (next.latestFinalWindowEnd() != null && !next.latestFinalWindowEnd().isBefore(current.latestFinalWindowEnd()));
                if (!caughtUp) {
                    continue;
                }
                if (current != null) {
                    setStatus(c, current, Catalog.RETIRED);
                }
                setStatus(c, next, Catalog.ACTIVE);
                promoted.add(next);
            }
        });
        return promoted;
    }

    /** Retires every version of an analysis (its resource was deleted); its tables are dropped once their rows would have expired. */
    public static void retire(Connection c, String namespace, String kind, String name) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE " + Catalog.QUALIFIED + " SET status = ?, retired_at = now() "
                + "WHERE namespace = ? AND kind = ? AND name = ? AND status IN (?, ?)")) {
            u.setString(1, Catalog.RETIRED);
            u.setString(2, namespace);
            u.setString(3, kind);
            u.setString(4, name);
            u.setString(5, Catalog.ACTIVE);
            u.setString(6, Catalog.CATCHING_UP);
            u.executeUpdate();
        }
    }

    static void setStatus(Connection c, Catalog.Entry e, String status) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE " + Catalog.QUALIFIED + " SET status = ?, "
                + "retired_at = CASE WHEN ? IN ('" + Catalog.RETIRED + "', '" + Catalog.DROPPED + "') THEN coalesce(retired_at, now()) ELSE NULL END "
                + "WHERE namespace = ? AND kind = ? AND name = ? AND version = ?")) {
            u.setString(1, status);
            u.setString(2, status);
            u.setString(3, e.namespace());
            u.setString(4, e.kind().name());
            u.setString(5, e.name());
            u.setString(6, e.version());
            u.executeUpdate();
        }
    }

    /** A table's progress, from its indexes (two index lookups); nulls when the table is empty or missing. */
    public static Progress probe(Connection c, TableLayout t) throws SQLException {
        if (!exists(c, t)) {
            return new Progress(null, null);
        }
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT (SELECT max(" + TableLayout.quote(TableLayout.WINDOW_END) + ") FROM " + t.qualifiedName()
                        + " WHERE " + TableLayout.quote(TableLayout.FINAL) + "), (SELECT max(" + TableLayout.quote(TableLayout.UPDATED_AT)
                        + ") FROM " + t.qualifiedName() + ")")) {
            r.next();
            return new Progress(instant(r.getTimestamp(1)), instant(r.getTimestamp(2)));
        }
    }

    /** Whether a table exists. */
    public static boolean exists(Connection c, TableLayout t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, t.qualifiedName());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    interface SqlWork {
        void run() throws SQLException;
    }

    static void inTransaction(Connection c, SqlWork work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
