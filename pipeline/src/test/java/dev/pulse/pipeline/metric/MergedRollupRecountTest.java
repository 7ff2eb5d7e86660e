package dev.pulse.pipeline.metric;

import static org.assertj.core.api.Assertions.assertThat;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.FilterPlan;
import dev.pulse.api.plan.MetricPlan;
import dev.pulse.api.plan.ServingPlan;
import dev.pulse.api.plan.WindowPlan;
import dev.pulse.api.serving.RollupLayout;
import dev.pulse.api.serving.RollupMaintenance;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.common.WindowType;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.pipeline.sink.RowBinding;
import dev.pulse.pipeline.sink.RowBindings;
import dev.pulse.testsupport.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * countDistinct and percentile rollups against a recount from the raw events: the job's
 * accumulator builds each window's rows (provisional ones along the way, then final ones, with
 * their merge state), rows are written in batches as the sink writes them (upsert through the
 * Metric binding, finality guard, rollup refresh in the batch's transaction), and every bucket
 * at 5m, 1h and 1d must hold the distinct count of the bucket's events exactly, and a percentile
 * within the sketch's 1% of the exact value at rank ⌊q·(n−1)⌋ (in fact the very value one sketch fed
 * every value of the bucket answers). Writing every batch again changes nothing.
 */
class MergedRollupRecountTest {
    private static final long MINUTE = 60_000L;
    private static final long FIVE_MINUTES = 5 * MINUTE;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final String[] PLATFORMS = {"ios", "web", null};
    private static final long T0 = Instant.parse("2026-01-01T22:00:00Z").toEpochMilli();
    /** Windows from here on stay provisional (the watermark has not passed them). */
    private static final long OPEN_FROM = T0 + 3 * HOUR + 50 * MINUTE;

    /** One raw event: its time, platform, the value counted distinct (null: missing) and the number (null: missing). */
    private record RawEvent(long time, String platform, String actor, Double number) {
    }

    @Test
    void countDistinctRollupsEqualTheDistinctCountOfTheirBucketsEvents() throws SQLException {
        recount(AggregationType.countDistinct, null, "distinct");
    }

    @Test
    void percentileRollupsAreTheSketchOfTheirBucketsValuesWithinItsAccuracy() throws SQLException {
        recount(AggregationType.percentile, 95.0, "p95");
        recount(AggregationType.percentile, 50.0, "p50");
    }

    private void recount(AggregationType aggregation, Double percentile, String name) throws SQLException {
        AnalysisPlan plan = plan(aggregation, percentile, name);
        List<RawEvent> events = events(new Random(name.hashCode()));
        try (Connection c = PostgresExtension.shared().database("merged_" + name)) {
            ServingSchema.applyAnalyses(c, List.of(plan));
            List<MetricRow> rows = emit(plan, events, new Random(7));
            long batching = 16;
            write(c, plan, rows, new Random(batching));
            List<String> first = snapshot(c, plan);
            assertBuckets(c, plan, events);

            // a job restored from an older checkpoint writes the same rows again: nothing changes, final buckets are not even rewritten
            write(c, plan, rows, new Random(batching));
            assertThat(snapshot(c, plan)).as(name + " after a replay").isEqualTo(first);
        }
    }

    private static AnalysisPlan plan(AggregationType aggregation, Double percentile, String name) {
        String hash = "abcd000016";
        return new AnalysisPlan("mt-growth-" + name + "-" + hash, AnalysisKind.Metric, "growth", name, hash, List.of("platform"),
                FilterPlan.ALL, new WindowPlan(WindowType.tumbling, MINUTE, 0, 0), 0, 5000,
                new MetricPlan(aggregation, null, null, percentile, null, null, null), null, null,
                new ServingPlan("pulse_growth", "mt_" + name + "_" + hash, 30 * DAY, List.of(FIVE_MINUTES, HOUR, DAY), List.of("d_platform")),
                null, null);
    }

    /** Four hours across midnight: actors from a small pool (some missing), numbers of both signs, zeros and missing ones. */
    private static List<RawEvent> events(Random random) {
        List<RawEvent> out = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            long time = T0 + (long) (random.nextDouble() * 4 * HOUR);
            String platform = PLATFORMS[random.nextInt(PLATFORMS.length)];
            String actor = random.nextInt(20) == 0 ? null : "user-" + random.nextInt(random.nextBoolean() ? 30 : 400);
            Double number = switch (random.nextInt(20)) {
                case 0 -> null;
                case 1 -> 0.0;
                case 2, 3 -> -Math.exp(random.nextGaussian());
                default -> Math.exp(random.nextGaussian() * 1.5) * 10;
            };
            out.add(new RawEvent(time, platform, actor, number));
        }
        return out;
    }

    /**
     * The rows the job emits, as {@link MetricWindowProcess} builds them: every 300 events the
     * windows that changed, provisional; at the end every window, final unless it is still open.
     */
    private static List<MetricRow> emit(AnalysisPlan plan, List<RawEvent> events, Random random) {
        AggregationType type = plan.metric().aggregation();
        double percentile = plan.metric().percentile() == null ? 0 : plan.metric().percentile();
        Map<String, MetricAccumulator> windows = new LinkedHashMap<>();
        Map<String, long[]> keys = new HashMap<>();
        Map<String, String> platforms = new HashMap<>();
        List<MetricRow> out = new ArrayList<>();
        List<RawEvent> shuffled = new ArrayList<>(events);
        java.util.Collections.shuffle(shuffled, random);
        int n = 0;
        for (RawEvent e : shuffled) {
            long start = Math.floorDiv(e.time(), MINUTE) * MINUTE;
            String key = start + "/" + e.platform();
            MetricAccumulator a = windows.computeIfAbsent(key, k -> new MetricAccumulator());
            keys.put(key, new long[] {start});
            platforms.put(key, e.platform());
            Observation o = new Observation();
            o.time = e.time();
            o.text = e.actor();
            if (e.number() != null) {
                o.number = e.number();
                o.flags = Observation.HAS_NUMBER;
            }
            a.add(type, o);
            a.dirty = true;
            if (++n % 300 == 0) {
                for (Map.Entry<String, MetricAccumulator> w : windows.entrySet()) {
                    if (w.getValue().dirty) {
                        w.getValue().dirty = false;
                        out.add(row(w.getValue(), type, percentile, keys.get(w.getKey())[0], platforms.get(w.getKey()), false));
                    }
                }
            }
        }
        for (Map.Entry<String, MetricAccumulator> w : windows.entrySet()) {
            long start = keys.get(w.getKey())[0];
            out.add(row(w.getValue(), type, percentile, start, platforms.get(w.getKey()), start < OPEN_FROM));
        }
        return out;
    }

    private static MetricRow row(MetricAccumulator a, AggregationType type, double percentile, long start, String platform, boolean fin) {
        MetricRow r = new MetricRow();
        r.windowStart = start;
        r.windowEnd = start + MINUTE;
        r.dimensions = new String[] {platform};
        a.writeTo(r, type, percentile);
        r.finalResult = fin;
        return r;
    }

    /**
     * Writes rows in batches of random sizes as the sink does: the latest row of each key per batch,
     * upserted through the Metric binding, then the rollup buckets of the rows the finality guard
     * let through, in the batch's transaction.
     */
    private static void write(Connection c, AnalysisPlan plan, List<MetricRow> rows, Random random) throws SQLException {
        TableLayout t = TableLayout.of(plan);
        RollupMaintenance rollups = new RollupMaintenance(t, plan.metric());
        RowBinding<MetricRow> binding = RowBindings.metrics(plan.metric().aggregation());
        ServingSchema.ensurePartitions(c, t, rows.stream().map(r -> r.windowStart).toList());
        c.setAutoCommit(false);
        try (PreparedStatement upsert = c.prepareStatement(t.upsertSql())) {
            int i = 0;
            while (i < rows.size()) {
                int n = Math.min(rows.size() - i, 1 + random.nextInt(120));
                Map<String, MetricRow> batch = new LinkedHashMap<>();
                for (MetricRow r : rows.subList(i, i + n)) {
                    batch.put(r.windowStart + "/" + r.dimensions[0], r);
                }
                for (MetricRow r : batch.values()) {
                    int p = 1;
                    upsert.setObject(p++, OffsetDateTime.ofInstant(Instant.ofEpochMilli(r.windowStart), ZoneOffset.UTC));
                    upsert.setObject(p++, OffsetDateTime.ofInstant(Instant.ofEpochMilli(r.windowEnd), ZoneOffset.UTC));
                    upsert.setString(p++, TableLayout.storedDimension(r.dimensions[0]));
                    p = binding.bindValues(c, upsert, p, r);
                    upsert.setBoolean(p, r.finalResult);
                    upsert.addBatch();
                }
                int[] counts = upsert.executeBatch();
                List<Long> starts = new ArrayList<>();
                List<String[]> dims = new ArrayList<>();
                int k = 0;
                for (MetricRow r : batch.values()) {
                    if (counts[k++] != 0) {
                        starts.add(r.windowStart);
                        dims.add(new String[] {TableLayout.storedDimension(r.dimensions[0])});
                    }
                }
                rollups.afterUpsert(c, starts.stream().mapToLong(Long::longValue).toArray(), dims);
                c.commit();
                i += n;
            }
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Every bucket of every grain against the raw events that fall in it. */
    private static void assertBuckets(Connection c, AnalysisPlan plan, List<RawEvent> events) throws SQLException {
        AggregationType type = plan.metric().aggregation();
        for (RollupLayout r : RollupLayout.of(plan)) {
            long grain = r.grainMs();
            Map<String, List<RawEvent>> buckets = new TreeMap<>();
            for (RawEvent e : events) {
                buckets.computeIfAbsent(Math.floorDiv(e.time(), grain) * grain + "/" + TableLayout.storedDimension(e.platform()),
                        k -> new ArrayList<>()).add(e);
            }
            Map<String, Object[]> stored = new TreeMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT extract(epoch FROM window_start)::bigint * 1000, "
                    + "d_platform, value, final FROM " + r.table().qualifiedName())) {
                while (rs.next()) {
                    stored.put(rs.getLong(1) + "/" + rs.getString(2), new Object[] {rs.getObject(3), rs.getBoolean(4)});
                }
            }
            assertThat(stored.keySet()).as(type + " buckets at " + grain).isEqualTo(buckets.keySet());
            for (Map.Entry<String, List<RawEvent>> e : buckets.entrySet()) {
                String what = type + " " + grain + " " + e.getKey();
                Object[] got = stored.get(e.getKey());
                long bucketStart = Long.parseLong(e.getKey().substring(0, e.getKey().indexOf('/')));
                assertThat(got[1]).as(what + " final").isEqualTo(bucketStart + grain <= OPEN_FROM);
                if (type == AggregationType.countDistinct) {
                    Set<String> actors = new HashSet<>();
                    e.getValue().stream().map(RawEvent::actor).filter(a -> a != null).forEach(actors::add);
                    assertThat((Double) got[0]).as(what).isEqualTo((double) actors.size());
                } else {
                    assertPercentile(what, plan.metric().percentile(), e.getValue(), (Double) got[0]);
                }
            }
        }
    }

    private static void assertPercentile(String what, double percentile, List<RawEvent> events, Double got) {
        List<Double> values = events.stream().map(RawEvent::number).filter(v -> v != null).sorted().toList();
        if (values.isEmpty()) {
            assertThat(got).as(what).isNull();
            return;
        }
        double q = percentile / 100.0;
        double exact = values.get((int) Math.floor(q * (values.size() - 1)));
        assertThat(Math.abs(got - exact)).as(what + ": " + got + " against the exact " + exact).isLessThanOrEqualTo(0.01 * Math.abs(exact));
        // and it is what one sketch fed every value of the bucket answers
        DDSketch one = DDSketches.collapsingLowestDense(0.01, 2048);
        values.forEach(one::accept);
        assertThat(got).as(what + " against one sketch of the bucket").isEqualTo(one.getValueAtQuantile(q));
    }

    /** Every rollup row; a final one with its updated_at (a rewrite would change it). */
    private static List<String> snapshot(Connection c, AnalysisPlan plan) throws SQLException {
        List<String> out = new ArrayList<>();
        for (RollupLayout r : RollupLayout.of(plan)) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + r.table().qualifiedName())) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int k = 1; k < n; k++) {
                        row.append(rs.getString(k)).append(' ');
                    }
                    if (rs.getBoolean("final")) {
                        row.append(rs.getObject(n));
                    }
                    out.add(r.table().table() + " " + row);
                }
            }
        }
        out.sort(String::compareTo);
        return out;
    }
}
