package dev.pulse.serving;

import static dev.pulse.serving.Plans.DAY;
import static dev.pulse.serving.Plans.HOUR;
import static dev.pulse.serving.Plans.MINUTE;
import static dev.pulse.serving.Rows.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.RollupLayout;
import dev.pulse.api.serving.ServingRetention;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.funnel.FunnelSpec.CountBy;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.testsupport.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Schema management on a real PostgreSQL: tables, rollup maintenance, versions, retention. */
class ServingSchemaTest {
    private static int databases;
    private Connection c;

    @BeforeEach
    void connect() throws SQLException {
        c = PostgresExtension.shared().database("schema_" + (++databases));
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> cols = new ArrayList<>();
                for (int k = 1; k <= n; k++) {
                    cols.add(String.valueOf(r.getObject(k)));
                }
                out.add(String.join(" ", cols));
            }
        }
        return out;
    }

    private static String[] dims(String... values) {
        return values;
    }

    @Test
    void applyCreatesTablesIndexesAndCatalogAndIsIdempotent() throws SQLException {
        AnalysisPlan m = Plans.metric("growth", "orders", "aaaa000001", AggregationType.count, List.of("platform"), MINUTE, List.of(HOUR, DAY), true, 30 * DAY);
        AnalysisPlan f = Plans.funnel("growth", "checkout", "bbbb000001", List.of("viewed", "bought"), CountBy.uniques, List.of(), HOUR);
        AnalysisPlan r = Plans.retention("growth", "buyers", "cccc000001", 7, List.of("platform"));
        ServingSchema.applyAnalyses(c, List.of(m, f, r));
        ServingSchema.applyAnalyses(c, List.of(m, f, r));

        assertThat(rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'pulse_growth' ORDER BY 1")).containsExactly(
                "fn_checkout_bbbb000001", "mt_orders_aaaa000001", "mt_orders_aaaa000001_anomalies", "mt_orders_aaaa000001_r1d",
                "mt_orders_aaaa000001_r1h", "rt_buyers_cccc000001");
        assertThat(rows("SELECT indexname FROM pg_indexes WHERE tablename = 'mt_orders_aaaa000001' ORDER BY 1")).containsExactly(
                "mt_orders_aaaa000001_dims", "mt_orders_aaaa000001_final_end", "mt_orders_aaaa000001_pkey", "mt_orders_aaaa000001_updated");
        List<Catalog.Entry> catalog = Catalog.read(c);
        assertThat(catalog).extracting(e -> e.kind() + " " + e.name() + " " + e.status() + " " + e.grainsMs() + " " + e.rollupTables()
                + " " + e.anomaliesTable()).containsExactly(
                "Funnel checkout active [3600000] [] null",
                "Metric orders active [60000, 3600000, 86400000] [mt_orders_aaaa000001_r1h, mt_orders_aaaa000001_r1d] mt_orders_aaaa000001_anomalies",
                "Retention buyers active [86400000] [] null");
        assertThat(PlanJson.write(catalog.get(1).plan())).isEqualTo(PlanJson.write(m));
        assertThat(rows("SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE table_name = 'rt_buyers_cccc000001' "
                + "ORDER BY ordinal_position")).containsExactly("window_start timestamp with time zone", "window_end timestamp with time zone",
                "d_platform text", "cohort_size bigint", "retained ARRAY", "complete ARRAY", "final boolean", "updated_at timestamp with time zone");
    }

    @Test
    void countRollupFollowsEveryUpsertIncludingProvisionalUpdates() throws SQLException {
        AnalysisPlan m = Plans.metric("growth", "orders", "aaaa000001", AggregationType.count, List.of("platform"), MINUTE, List.of(HOUR), false, 30 * DAY);
        ServingSchema.applyAnalyses(c, List.of(m));
        Rows.metric(c, m, "00:00", dims("ios"), 2.0, null, null, false);
        Rows.metric(c, m, "00:00", dims("ios"), 3.0, null, null, true);   // provisional 2 became final 3
        Rows.metric(c, m, "00:00", dims("ios"), 2.0, null, null, false);  // a replayed provisional cannot undo finality
        Rows.metric(c, m, "00:59", dims("ios"), 4.0, null, null, false);
        Rows.metric(c, m, "00:30", dims((String) null), 1.0, null, null, true);
        Rows.metric(c, m, "01:00", dims("ios"), 5.0, null, null, true);
        assertThat(rows("SELECT window_start, window_end, d_platform, value, row_count, provisional_count, final "
                + "FROM pulse_growth.mt_orders_aaaa000001_r1h ORDER BY 1, d_platform COLLATE \"C\"")).containsExactly(
                "2026-01-01 00:00:00.0 2026-01-01 01:00:00.0 ios 7.0 2 1 false",
                "2026-01-01 00:00:00.0 2026-01-01 01:00:00.0 \u2400 1.0 1 0 true",
                "2026-01-01 01:00:00.0 2026-01-01 02:00:00.0 ios 5.0 1 0 true");
    }

    @Test
    void maxRollupRecomputesWhenTheExtremeMovesBackAndAvgUsesWeights() throws SQLException {
        AnalysisPlan max = Plans.metric("growth", "biggest", "dddd000001", AggregationType.max, List.of(), MINUTE, List.of(HOUR), false, 30 * DAY);
        AnalysisPlan avg = Plans.metric("growth", "basket", "eeee000001", AggregationType.avg, List.of(), MINUTE, List.of(HOUR), false, 30 * DAY);
        AnalysisPlan ratio = Plans.metric("growth", "conv", "ffff000001", AggregationType.ratio, List.of(), MINUTE, List.of(HOUR), false, 30 * DAY);
        ServingSchema.applyAnalyses(c, List.of(max, avg, ratio));
        Rows.metric(c, max, "00:01", dims(), 10.0, null, null, false);
        Rows.metric(c, max, "00:02", dims(), 7.0, null, null, false);
        Rows.metric(c, max, "00:01", dims(), 6.0, null, null, true); // the maximum went down: recomputed as 7
        Rows.metric(c, avg, "00:01", dims(), 2.0, null, 3L, true);  // 3 values averaging 2
        Rows.metric(c, avg, "00:02", dims(), 4.0, null, 1L, true);  // 1 value of 4: (6 + 4) / 4 = 2.5
        Rows.metric(c, ratio, "00:01", dims(), 0.25, 1L, 4L, true);
        Rows.metric(c, ratio, "00:02", dims(), null, 0L, 0L, true);
        Rows.metric(c, ratio, "00:03", dims(), 1.0, 2L, 2L, true);
        assertThat(rows("SELECT value FROM pulse_growth.mt_biggest_dddd000001_r1h")).containsExactly("7.0");
        assertThat(rows("SELECT value FROM pulse_growth.mt_basket_eeee000001_r1h")).containsExactly("2.5");
        assertThat(rows("SELECT value, numerator, denominator FROM pulse_growth.mt_conv_ffff000001_r1h")).containsExactly("0.5 3 6");
    }

    @Test
    void aRollupAddedLaterIsBackfilledAndDistinctCountsRollUpFromTheirMergeState() throws SQLException {
        AnalysisPlan before = Plans.metric("growth", "revenue", "abab000001", AggregationType.sum, List.of("platform"), MINUTE, List.of(), false, 30 * DAY);
        ServingSchema.applyAnalyses(c, List.of(before));
        Rows.metric(c, before, "00:10", dims("ios"), 1.5, null, null, true);
        Rows.metric(c, before, "00:20", dims("ios"), 2.0, null, null, true);
        Rows.metric(c, before, "00:20", dims("web"), null, null, null, true);
        AnalysisPlan after = Plans.metric("growth", "revenue", "abab000001", AggregationType.sum, List.of("platform"), MINUTE, List.of(HOUR), false, 30 * DAY);
        ServingSchema.applyAnalyses(c, List.of(after));
        Rows.metric(c, after, "00:30", dims("ios"), 1.0, null, null, true);
        assertThat(rows("SELECT d_platform, value, row_count, final FROM pulse_growth.mt_revenue_abab000001_r1h ORDER BY 1"))
                .containsExactly("ios 4.5 3 true", "web null 1 true");

        AnalysisPlan distinct = Plans.metric("growth", "users", "acac000001", AggregationType.countDistinct, List.of(), MINUTE, List.of(HOUR), false, DAY);
        ServingSchema.applyAnalyses(c, List.of(distinct));
        assertThat(RollupLayout.of(distinct)).hasSize(1);
        assertThat(Catalog.read(c).stream().filter(e -> e.name().equals("users")).findFirst().orElseThrow().grainsMs())
                .containsExactly(MINUTE, HOUR);
        // a detail table of an earlier Pulse, without the merge-state columns: the next pass adds them
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE pulse_growth.mt_users_acac000001 DROP COLUMN distinct_values");
        }
        ServingSchema.applyAnalyses(c, List.of(distinct));
        // two windows of {a, b} and {b, c}: three distinct over the hour, not 2 + 2
        Rows.metricWithState(c, distinct, "00:10", dims(), 2.0, true, (Object) new String[] {"a", "b"});
        Rows.metricWithState(c, distinct, "00:20", dims(), 2.0, true, (Object) new String[] {"b", "c"});
        assertThat(rows("SELECT value, row_count, final, distinct_values FROM pulse_growth.mt_users_acac000001_r1h"))
                .containsExactly("3.0 2 true {a,b,c}");
    }

    @Test
    void anUpgradeDropsTheOldRollupTriggersAndARollupListedAgainIsRefilled() throws SQLException {
        AnalysisPlan m = Plans.metric("growth", "orders", "aaaa000001", AggregationType.count, List.of(), MINUTE, List.of(HOUR), false, 30 * DAY);
        ServingSchema.applyAnalyses(c, List.of(m));
        // what an earlier Pulse left on the detail table: a per-row rollup trigger and its function
        try (Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION pulse_growth.pulse_rollup_mt_orders_aaaa000001_r1h() RETURNS trigger LANGUAGE plpgsql "
                    + "AS $$ BEGIN UPDATE pulse_growth.mt_orders_aaaa000001_r1h SET value = value + 1000; RETURN NULL; END $$");
            s.execute("CREATE TRIGGER pulse_rollup_1h AFTER INSERT OR UPDATE ON pulse_growth.mt_orders_aaaa000001 "
                    + "FOR EACH ROW EXECUTE FUNCTION pulse_growth.pulse_rollup_mt_orders_aaaa000001_r1h()");
        }
        // a job still on the earlier image writes a row that no writer refreshes
        Rows.upsert(c, TableLayout.of(m), at("00:10"), at("00:11"), dims(), true, 2.0, null, null);
        assertThat(rows("SELECT count(*) FROM pulse_growth.mt_orders_aaaa000001_r1h")).containsExactly("0");
        ServingSchema.applyAnalyses(c, List.of(m));
        assertThat(rows("SELECT tgname FROM pg_trigger WHERE tgrelid = 'pulse_growth.mt_orders_aaaa000001'::regclass AND NOT tgisinternal"))
                .isEmpty();
        assertThat(rows("SELECT proname FROM pg_proc WHERE proname LIKE 'pulse_rollup%'")).isEmpty();
        // the upgrade refilled the rollup, and writers keep it from then on
        assertThat(rows("SELECT value FROM pulse_growth.mt_orders_aaaa000001_r1h")).containsExactly("2.0");
        Rows.metric(c, m, "00:15", dims(), 0.0, null, null, true);
        assertThat(rows("SELECT value, row_count FROM pulse_growth.mt_orders_aaaa000001_r1h")).containsExactly("2.0 2");

        // removed: no longer maintained; listed again: refilled from the detail rows
        AnalysisPlan without = Plans.metric("growth", "orders", "aaaa000001", AggregationType.count, List.of(), MINUTE, List.of(), false, 30 * DAY);
        ServingSchema.applyAnalyses(c, List.of(without));
        Rows.metric(c, without, "00:20", dims(), 3.0, null, null, true);
        assertThat(rows("SELECT value FROM pulse_growth.mt_orders_aaaa000001_r1h")).containsExactly("2.0");
        ServingSchema.applyAnalyses(c, List.of(m));
        assertThat(rows("SELECT value, row_count, final FROM pulse_growth.mt_orders_aaaa000001_r1h")).containsExactly("5.0 3 true");
    }

    @Test
    void aSemanticChangeServesTheOldVersionUntilTheNewOneCatchesUp() throws SQLException {
        AnalysisPlan v1 = Plans.metric("growth", "orders", "aaaa000001", AggregationType.count, List.of(), MINUTE, List.of(), false, 30 * DAY);
        ServingSchema.applyAnalyses(c, List.of(v1));
        Rows.metric(c, v1, "00:00", dims(), 1.0, null, null, true);
        Rows.metric(c, v1, "00:05", dims(), 1.0, null, null, true);
        AnalysisPlan v2 = Plans.metric("growth", "orders", "aaaa000002", AggregationType.count, List.of("platform"), MINUTE, List.of(), false, 30 * DAY);
        ServingSchema.applyAnalyses(c, List.of(v2));
        assertThat(status()).containsExactly("aaaa000001 active", "aaaa000002 catching_up");

        Rows.metric(c, v2, "00:03", dims("ios"), 1.0, null, null, true);
        assertThat(ServingSchema.refresh(c)).isEmpty();
        assertThat(status()).containsExactly("aaaa000001 active", "aaaa000002 catching_up");

        Rows.metric(c, v2, "00:05", dims("ios"), 1.0, null, null, true);
        assertThat(ServingSchema.refresh(c)).extracting(Catalog.Entry::version).containsExactly("aaaa000002");
        assertThat(status()).containsExactly("aaaa000001 retired", "aaaa000002 active");
        // never dropped or altered: the old table keeps its rows until retention drops it
        assertThat(rows("SELECT count(*) FROM pulse_growth.mt_orders_aaaa000001")).containsExactly("2");
        Catalog.Entry active = Catalog.read(c).get(1);
        assertThat(active.latestFinalWindowEnd()).isEqualTo(at("00:06"));
    }

    private List<String> status() throws SQLException {
        return rows("SELECT version || ' ' || status FROM pulse_catalog.analyses ORDER BY version");
    }

    @Test
    void partitionsAreMadeForTheDaysAskedAndTheDayAfterTheLatestAndOnlyThoseAreReported() throws SQLException {
        AnalysisPlan m = Plans.metric("growth", "orders", "aaaa000002", AggregationType.count, List.of("platform"), MINUTE, List.of(HOUR), true, 30 * 24 * HOUR);
        ServingSchema.applyAnalyses(c, List.of(m));
        long d = java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        // rows on the 1st and the 3rd: a writer may take the 1st, 3rd and 4th without asking again, not the 2nd
        java.util.Set<Long> ready = ServingSchema.ensurePartitions(c, TableLayout.of(m), List.of(d + HOUR, d + 2 * DAY + MINUTE));
        assertThat(ready).containsExactlyInAnyOrder(d, d + 2 * DAY, d + 3 * DAY);
        assertThat(rows("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE i.inhparent = 'pulse_growth.mt_orders_aaaa000002'::regclass ORDER BY 1"))
                .containsExactly("mt_orders_aaaa000002_p20260101", "mt_orders_aaaa000002_p20260103", "mt_orders_aaaa000002_p20260104");
    }

    @Test
    void retentionDropsExpiredDayPartitionsDeletesExpiredRollupRowsAndDropsRetiredVersions() throws SQLException {
        AnalysisPlan m = Plans.metric("growth", "orders", "aaaa000001", AggregationType.count, List.of("platform"), MINUTE, List.of(HOUR), true, 2 * HOUR);
        ServingSchema.applyAnalyses(c, List.of(m));
        for (int k = 0; k < 7; k++) {
            Rows.metric(c, m, String.format("00:%02d", k), dims("ios"), 1.0, null, null, true);
        }
        Rows.metric(c, m, "01:30", dims("ios"), 1.0, null, null, true);
        Rows.metric(c, m, java.time.Instant.parse("2026-01-02T00:10:00Z"), dims("ios"), 1.0, null, null, true);
        Rows.upsert(c, TableLayout.anomalies(m), at("00:03"), at("00:04"), dims("ios"), true, 9.0, 1.0, 0.0, 2.0, 8.0);
        String partitions = "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE i.inhparent = 'pulse_growth.mt_orders_aaaa000001'::regclass ORDER BY 1";
        // the writes made their days' partitions and the next day's
        assertThat(rows(partitions)).containsExactly("mt_orders_aaaa000001_p20260101", "mt_orders_aaaa000001_p20260102",
                "mt_orders_aaaa000001_p20260103");

        // at 02:30 a retention of 2h expires windows ending at or before 00:30: the anomaly and no rollup
        // bucket (00:00 is not whole yet); the day of 2026-01-01 is not over, its partition stays whole
        ServingRetention.Result r = ServingRetention.enforce(c, at("02:30"), 3);
        assertThat(r.deletedRows()).isEqualTo(1);
        assertThat(r.droppedPartitions()).isEmpty();
        assertThat(rows("SELECT count(*) FROM pulse_growth.mt_orders_aaaa000001")).containsExactly("9");

        // two hours after the day ended: its partition goes whole, with the rollup buckets that ended
        r = ServingRetention.enforce(c, java.time.Instant.parse("2026-01-02T02:00:00Z"), 3);
        assertThat(r.droppedPartitions()).containsExactly("pulse_growth.mt_orders_aaaa000001_p20260101");
        assertThat(r.deletedRows()).isEqualTo(2);
        assertThat(rows("SELECT window_start FROM pulse_growth.mt_orders_aaaa000001")).containsExactly("2026-01-02 00:10:00.0");
        assertThat(rows("SELECT window_start, value FROM pulse_growth.mt_orders_aaaa000001_r1h")).containsExactly("2026-01-02 00:00:00.0 1.0");
        assertThat(rows(partitions)).containsExactly("mt_orders_aaaa000001_p20260102", "mt_orders_aaaa000001_p20260103");

        ServingSchema.retire(c, "growth", "Metric", "orders");
        assertThat(ServingRetention.enforce(c, java.time.Instant.now().plusMillis(HOUR), 100).droppedTables()).isEmpty();
        assertThat(ServingRetention.enforce(c, java.time.Instant.now().plusMillis(3 * HOUR), 100).droppedTables()).containsExactly(
                "pulse_growth.mt_orders_aaaa000001_anomalies", "pulse_growth.mt_orders_aaaa000001_r1h", "pulse_growth.mt_orders_aaaa000001");
        assertThat(rows("SELECT status FROM pulse_catalog.analyses")).containsExactly("dropped");
        assertThat(rows("SELECT count(*) FROM pg_class WHERE relname LIKE 'mt_orders_aaaa000001%'")).containsExactly("0");
        assertThat(Catalog.read(c)).isEmpty();
    }

    @Test
    void aWindowThatEndsAfterTheCutoffKeepsItsPartitionAndATableMadeBeforePartitioningIsDeletedRowByRow() throws SQLException {
        // a 7-hour window started late in a day ends in the next one
        AnalysisPlan m = Plans.metric("growth", "slow", "abcd000001", AggregationType.sum, List.of(), 7 * HOUR, List.of(), false, HOUR);
        ServingSchema.applyAnalyses(c, List.of(m));
        Rows.metric(c, m, "21:00", dims(), 5.0, null, null, true); // [21:00, 04:00 the next day)
        assertThat(ServingRetention.enforce(c, java.time.Instant.parse("2026-01-02T04:30:00Z"), 10).droppedPartitions()).isEmpty();
        assertThat(rows("SELECT count(*) FROM pulse_growth.mt_slow_abcd000001")).containsExactly("1");
        assertThat(ServingRetention.enforce(c, java.time.Instant.parse("2026-01-02T05:00:00Z"), 10).droppedPartitions())
                .containsExactly("pulse_growth.mt_slow_abcd000001_p20260101");

        // a plain detail table, as earlier versions made them: kept plain, its expired rows deleted
        AnalysisPlan old = Plans.metric("growth", "legacy", "abcd000002", AggregationType.count, List.of(), MINUTE, List.of(), false, HOUR);
        TableLayout t = TableLayout.of(old);
        try (Statement s = c.createStatement()) {
            s.execute(t.createSchemaSql());
            s.execute(TableLayout.of(t.schema(), t.table(), t.dimensionColumns(), t.valueColumns()).createTableSql());
        }
        ServingSchema.applyAnalyses(c, List.of(old));
        assertThat(ServingSchema.isPartitioned(c, t)).isFalse();
        Rows.metric(c, old, "00:00", dims(), 1.0, null, null, true);
        Rows.metric(c, old, "02:00", dims(), 1.0, null, null, true);
        ServingRetention.Result r = ServingRetention.enforce(c, at("02:30"), 10);
        assertThat(r.deletedRows()).isEqualTo(1);
        assertThat(rows("SELECT window_start FROM pulse_growth.mt_legacy_abcd000002")).containsExactly("2026-01-01 02:00:00.0");
    }

    @Test
    void identifiersFromPlansAreValidatedBeforeAnySql() {
        AnalysisPlan bad = Plans.metric("growth", "x\"; DROP TABLE t; --", "aaaa000001", AggregationType.count, List.of(), MINUTE, List.of(), false, DAY);
        assertThatThrownBy(() -> ServingSchema.applyAnalyses(c, List.of(bad))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid table name");
    }
}
