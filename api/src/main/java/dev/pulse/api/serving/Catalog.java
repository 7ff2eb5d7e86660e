package dev.pulse.api.serving;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.v1alpha1.common.WindowType;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The serving catalog, {@code pulse_catalog.analyses}: one row per analysis and table version
 * (the semantic hash). The operator writes it ({@link ServingSchema}); the serving API, Grafana
 * and people read it to find what can be answered and from which table.
 *
 * <p>{@code status}: {@code active} (the version queries are answered from),
 * {@code catching_up} (a newer version whose table is filling; the active one keeps serving until
 * it has caught up), {@code retired} (replaced or deleted; its tables are kept until their rows
 * would have expired, then dropped), {@code dropped}.
 */
public final class Catalog {
    public static final String SCHEMA = "pulse_catalog";
    public static final String TABLE = "analyses";
    public static final String QUALIFIED = TableLayout.quote(SCHEMA) + "." + TableLayout.quote(TABLE);

    public static final String ACTIVE = "active";
    public static final String CATCHING_UP = "catching_up";
    public static final String RETIRED = "retired";
    public static final String DROPPED = "dropped";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private Catalog() {
    }

    /**
     * One catalog row.
     *
     * @param version the analysis's semantic hash: a semantic change is a new version with new tables
     * @param grainsMs the window size followed by the rollup grains
     * @param rollupTables the rollup tables, in the order of the rollup grains
     * @param anomaliesTable the anomalies table, or null
     * @param latestFinalWindowEnd the end of the latest final window in the detail table, as of the last refresh
     * @param latestUpdate the latest write into the detail table, as of the last refresh
     * @param plan the analysis as compiled
     */
    public record Entry(String namespace, AnalysisKind kind, String name, String version, String schema, String table,
            List<String> dimensions, List<String> dimensionColumns, WindowType windowType, long windowMs, List<Long> grainsMs,
            List<String> rollupTables, String anomaliesTable, long retentionMs, String status, Instant createdAt,
            Instant retiredAt, Instant latestFinalWindowEnd, Instant latestUpdate, AnalysisPlan plan) {

        /** The detail table's layout. */
        public TableLayout detail() {
            return TableLayout.detail(schema, table, dimensionColumns, plan);
        }

        /** The rollups, finest first. */
        public List<RollupLayout> rollups() {
            List<RollupLayout> out = new ArrayList<>();
            for (int i = 1; i < grainsMs.size(); i++) {
                out.add(RollupLayout.of(detail(), plan.metric(), grainsMs.get(i)));
            }
            return out;
        }

        /** The anomalies table's layout, or null when anomaly detection is off. */
        public TableLayout anomalies() {
            return anomaliesTable == null ? null
                    : TableLayout.of(schema, anomaliesTable, dimensionColumns, TableLayout.ANOMALY_VALUES);
        }
    }

    /**
     * What a pipeline's own database role (which may write only its namespace's tables) needs from
     * the owner, as two functions that run with the owner's rights and check the caller's: a detail
     * table's rollup grains from the catalog (which it may not read), and a new day partition of a
     * table it may write (which only the table's owner may create). Anyone may call them; each
     * answers only about a table the calling login ({@code session_user}) may insert into.
     */
    public static final String ROLLUP_GRAINS = TableLayout.quote(SCHEMA) + ".rollup_grains";
    public static final String CREATE_DAY_PARTITION = TableLayout.quote(SCHEMA) + ".create_day_partition";

    static List<String> createSql() {
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + TableLayout.quote(SCHEMA),
                // the schema's tables stay private (no table grants); its two functions are for every writer
                "GRANT USAGE ON SCHEMA " + TableLayout.quote(SCHEMA) + " TO PUBLIC",
                "CREATE TABLE IF NOT EXISTS " + QUALIFIED + " ("
                        + "namespace text NOT NULL, kind text NOT NULL, name text NOT NULL, version text NOT NULL, "
                        + "schema_name text NOT NULL, table_name text NOT NULL, "
                        + "dimensions text[] NOT NULL, dimension_columns text[] NOT NULL, "
                        + "window_type text NOT NULL, window_ms bigint NOT NULL, grains_ms bigint[] NOT NULL, "
                        + "rollup_tables text[] NOT NULL, anomalies_table text, retention_ms bigint NOT NULL, "
                        + "status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), retired_at timestamptz, "
                        + "latest_final_window_end timestamptz, latest_update timestamptz, plan jsonb NOT NULL, "
                        + "PRIMARY KEY (namespace, kind, name, version))",
                "CREATE OR REPLACE FUNCTION " + ROLLUP_GRAINS + "(p_schema text, p_table text) RETURNS bigint[] "
                        + "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ "
                        + "SELECT grains_ms FROM " + QUALIFIED + " WHERE schema_name = p_schema AND table_name = p_table "
                        + "AND status <> '" + DROPPED + "' "
                        + "AND coalesce(has_table_privilege(session_user, to_regclass(format('%I.%I', p_schema, p_table)), 'INSERT'), false) "
                        + "LIMIT 1 $$",
                "CREATE OR REPLACE FUNCTION " + CREATE_DAY_PARTITION + "(p_schema text, p_table text, p_partition text, p_from timestamptz) "
                        + "RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ "
                        + "DECLARE parent regclass := to_regclass(format('%I.%I', p_schema, p_table)); "
                        + "BEGIN "
                        + "IF parent IS NULL OR NOT has_table_privilege(session_user, parent, 'INSERT') THEN "
                        + "RAISE EXCEPTION 'no table %.% that % may write', p_schema, p_table, session_user USING ERRCODE = '42501'; END IF; "
                        + "IF p_from <> date_trunc('day', p_from, 'UTC') THEN "
                        + "RAISE EXCEPTION 'a day partition starts at midnight UTC, not at %', p_from USING ERRCODE = '22023'; END IF; "
                        + "PERFORM pg_advisory_xact_lock(" + ServingSchema.DDL_LOCK + "); "
                        + "EXECUTE format('CREATE TABLE IF NOT EXISTS %I.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)', "
                        + "p_schema, p_partition, parent, p_from, p_from + interval '1 day'); "
                        + "END $$",
                "GRANT EXECUTE ON FUNCTION " + ROLLUP_GRAINS + "(text, text) TO PUBLIC",
                "GRANT EXECUTE ON FUNCTION " + CREATE_DAY_PARTITION + "(text, text, text, timestamptz) TO PUBLIC");
    }

    private static final String SELECT = "SELECT namespace, kind, name, version, schema_name, table_name, dimensions, "
            + "dimension_columns, window_type, window_ms, grains_ms, rollup_tables, anomalies_table, retention_ms, status, "
            + "created_at, retired_at, latest_final_window_end, latest_update, plan::text FROM " + QUALIFIED;

    /** Every row but the dropped ones, ordered by namespace, kind, name and creation. Empty when there is no catalog yet. */
    public static List<Entry> read(Connection c) throws SQLException {
        if (!exists(c)) {
            return List.of();
        }
        try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE status <> ? ORDER BY namespace, kind, name, created_at, version")) {
            s.setString(1, DROPPED);
            try (ResultSet r = s.executeQuery()) {
                List<Entry> out = new ArrayList<>();
                while (r.next()) {
                    out.add(entry(r));
                }
                return out;
            }
        }
    }

    /** Whether the catalog's {@link #ROLLUP_GRAINS} function exists (created with the catalog since rollups are kept by writers). */
    public static boolean grainsFunctionExists(Connection c) throws SQLException {
        return isTrue(c, "SELECT to_regprocedure(?) IS NOT NULL", SCHEMA + ".rollup_grains(text,text)");
    }

    /** Whether the catalog's {@link #CREATE_DAY_PARTITION} function exists. */
    public static boolean partitionFunctionExists(Connection c) throws SQLException {
        return isTrue(c, "SELECT to_regprocedure(?) IS NOT NULL", SCHEMA + ".create_day_partition(text,text,text,timestamptz)");
    }

    /** Whether the catalog table exists. */
    public static boolean exists(Connection c) throws SQLException {
        return isTrue(c, "SELECT to_regclass(?) IS NOT NULL", SCHEMA + "." + TABLE);
    }

    private static boolean isTrue(Connection c, String sql, String argument) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, argument);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static Entry entry(ResultSet r) throws SQLException {
        AnalysisPlan plan;
        try {
            plan = JSON.readValue(r.getString(20), AnalysisPlan.class);
        } catch (IOException e) {
            throw new SQLException("catalog row " + r.getString(1) + "/" + r.getString(3) + " has an unreadable plan: " + e.getMessage(), e);
        }
        return new Entry(r.getString(1), AnalysisKind.named(r.getString(2)), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
                strings(r.getArray(7)), strings(r.getArray(8)), WindowType.valueOf(r.getString(9)), r.getLong(10), longs(r.getArray(11)),
                strings(r.getArray(12)), r.getString(13), r.getLong(14), r.getString(15), instant(r.getTimestamp(16)),
                instant(r.getTimestamp(17)), instant(r.getTimestamp(18)), instant(r.getTimestamp(19)), plan);
    }

    static String planJson(AnalysisPlan plan) {
        try {
            return JSON.writeValueAsString(plan);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize plan", e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }

    private static List<Long> longs(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((Long[]) a.getArray());
    }
}
