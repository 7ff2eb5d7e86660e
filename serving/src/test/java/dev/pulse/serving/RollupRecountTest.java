package dev.pulse.serving;

import static dev.pulse.serving.Plans.DAY;
import static dev.pulse.serving.Plans.HOUR;
import static dev.pulse.serving.Plans.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.serving.RollupLayout;
import dev.pulse.api.serving.RollupMaintenance;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.testsupport.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rollups kept by the writers ({@link RollupMaintenance}) against a recount in Java of the detail
 * rows that stand after every write (the finality guard applied): every aggregation that has
 * rollups, at 5m, 1h and 1d, through provisional updates, batches and a replay of every write.
 */
class RollupRecountTest {
    private static final long FIVE_MINUTES = 5 * MINUTE;
    private static final String[] PLATFORMS = {"ios", "web", null};
    private static int databases;
    private Connection c;

    @BeforeEach
    void connect() throws SQLException {
        c = PostgresExtension.shared().database("recount_" + (++databases));
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    /** One write: a detail row as the sink upserts it. */
    private record Write(long startMs, String platform, Double value, Long num, Long den, boolean fin) {
    }

    @Test
    void everyRollupGrainEqualsARecountOfTheDetailRowsAndAReplayRewritesNothing() throws SQLException {
        Random random = new Random(16);
        for (AggregationType agg : List.of(AggregationType.count, AggregationType.sum, AggregationType.min, AggregationType.max,
                AggregationType.avg, AggregationType.ratio)) {
            AnalysisPlan m = Plans.metric("growth", agg.name().toLowerCase(), "aaaa000016", agg, List.of("platform"), MINUTE,
                    List.of(FIVE_MINUTES, HOUR, DAY), false, 30 * DAY);
            ServingSchema.applyAnalyses(c, List.of(m));
            List<Write> writes = new ArrayList<>();
            long t0 = Instant.parse("2026-01-01T22:00:00Z").toEpochMilli();
            for (int i = 0; i < 600; i++) {
                long start = t0 + random.nextInt(4 * 60) * MINUTE; // four hours across midnight
                String platform = PLATFORMS[random.nextInt(PLATFORMS.length)];
                boolean undefined = random.nextInt(15) == 0;
                long den = 1 + random.nextInt(5);
                long num = random.nextInt((int) den + 1);
                Double value = undefined ? null : switch (agg) {
                    case ratio -> (double) num / den;
                    case count -> (double) random.nextInt(50);
                    default -> Math.round(random.nextDouble() * 10_000) / 100.0 - 20;
                };
                writes.add(new Write(start, platform, value, agg == AggregationType.ratio ? num : null,
                        agg == AggregationType.ratio || agg == AggregationType.avg ? den : null, random.nextInt(3) == 0));
            }
            long batching = random.nextLong();
            List<Write> written = writeInBatches(m, writes, new Random(batching));
            List<String> first = snapshot(m);
            assertRecount(m, written);

            // a job restored from an older checkpoint writes the same batches again: the same rollups, final buckets not even rewritten
            writeInBatches(m, writes, new Random(batching));
            assertThat(snapshot(m)).as(agg + " after a replay").isEqualTo(first);
        }
    }

    /** Writes in batches of random sizes as the sink does; returns the rows it upserted, in order. */
    private List<Write> writeInBatches(AnalysisPlan m, List<Write> writes, Random random) throws SQLException {
        List<Write> written = new ArrayList<>();
        TableLayout t = TableLayout.of(m);
        RollupMaintenance rollups = new RollupMaintenance(t, m.metric().aggregation());
        ServingSchema.ensurePartitions(c, t, writes.stream().map(Write::startMs).toList());
        c.setAutoCommit(false);
        int i = 0;
        while (i < writes.size()) {
            int n = Math.min(writes.size() - i, 1 + random.nextInt(40));
            // within a batch the sink keeps the latest row of each key
            Map<String, Write> batch = new LinkedHashMap<>();
            for (Write w : writes.subList(i, i + n)) {
                batch.put(w.startMs() + "/" + w.platform(), w);
            }
            long[] starts = new long[batch.size()];
            List<String[]> dims = new ArrayList<>();
            int k = 0;
            for (Write w : batch.values()) {
                Rows.upsert(c, t, Instant.ofEpochMilli(w.startMs()), Instant.ofEpochMilli(w.startMs() + MINUTE), new String[] {w.platform()},
                        w.fin(), w.value(), w.num(), w.den());
                written.add(w);
                starts[k++] = w.startMs();
                dims.add(new String[] {TableLayout.storedDimension(w.platform())});
            }
            rollups.afterUpsert(c, starts, dims);
            c.commit();
            i += n;
        }
        c.setAutoCommit(true);
        return written;
    }

    /** Each rollup row against the same bucket recounted from what the detail table must hold. */
    private void assertRecount(AnalysisPlan m, List<Write> writes) throws SQLException {
        // what stands: the latest upsert of each key, except that a final row is never written again
        Map<String, Write> standing = new HashMap<>();
        for (Write w : writes) {
            String key = w.startMs() + "/" + w.platform();
            Write old = standing.get(key);
            if (old == null || !old.fin()) {
                standing.put(key, w);
            }
        }
        AggregationType agg = m.metric().aggregation();
        for (long grain : List.of(FIVE_MINUTES, HOUR, DAY)) {
            Map<String, List<Write>> buckets = new TreeMap<>();
            for (Write w : standing.values()) {
                long b = Math.floorDiv(w.startMs(), grain) * grain;
                buckets.computeIfAbsent(b + "/" + TableLayout.storedDimension(w.platform()), x -> new ArrayList<>()).add(w);
            }
            Map<String, Object[]> stored = new TreeMap<>();
            RollupLayout r = RollupLayout.of(TableLayout.of(m), agg, grain);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT extract(epoch FROM window_start)::bigint * 1000, "
                    + "d_platform, value, numerator, denominator, row_count, final FROM " + r.table().qualifiedName())) {
                while (rs.next()) {
                    stored.put(rs.getLong(1) + "/" + rs.getString(2), new Object[] {rs.getObject(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getBoolean(7)});
                }
            }
            assertThat(stored.keySet()).as(agg + " buckets at " + grain).isEqualTo(buckets.keySet());
            for (Map.Entry<String, List<Write>> e : buckets.entrySet()) {
                List<Write> rows = e.getValue();
                Object[] got = stored.get(e.getKey());
                String what = agg + " " + grain + " " + e.getKey();
                Double expected = expectedValue(agg, rows);
                if (expected == null) {
                    assertThat(got[0]).as(what).isNull();
                } else {
                    assertThat((Double) got[0]).as(what).isCloseTo(expected, within(1e-9));
                }
                assertThat(got[3]).as(what + " rows").isEqualTo((long) rows.size());
                assertThat(got[4]).as(what + " final").isEqualTo(rows.stream().allMatch(Write::fin));
                if (agg == AggregationType.ratio) {
                    assertThat(got[1]).as(what).isEqualTo(rows.stream().mapToLong(Write::num).sum());
                    assertThat(got[2]).as(what).isEqualTo(rows.stream().mapToLong(Write::den).sum());
                }
            }
        }
    }

    private static Double expectedValue(AggregationType agg, List<Write> rows) {
        List<Write> defined = rows.stream().filter(w -> w.value() != null).toList();
        return switch (agg) {
            case count, sum -> defined.isEmpty() ? null : defined.stream().mapToDouble(Write::value).sum();
            case min -> defined.stream().mapToDouble(Write::value).boxed().min(Double::compare).orElse(null);
            case max -> defined.stream().mapToDouble(Write::value).boxed().max(Double::compare).orElse(null);
            case avg -> {
                long weight = rows.stream().mapToLong(Write::den).sum();
                yield weight == 0 ? null : defined.stream().mapToDouble(w -> w.value() * w.den()).sum() / weight;
            }
            case ratio -> {
                long den = rows.stream().mapToLong(Write::den).sum();
                yield den == 0 ? null : (double) rows.stream().mapToLong(Write::num).sum() / den;
            }
            default -> throw new IllegalArgumentException(agg.name());
        };
    }

    /** Every rollup row of the metric; a final one with its updated_at (a rewrite would change it). */
    private List<String> snapshot(AnalysisPlan m) throws SQLException {
        List<String> out = new ArrayList<>();
        for (RollupLayout r : RollupLayout.of(m)) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + r.table().qualifiedName())) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int k = 1; k < n; k++) {
                        // sums of doubles in another order may differ in the last bit
                        Object v = rs.getObject(k);
                        row.append(v instanceof Double d ? String.format(java.util.Locale.ROOT, "%.6f", d) : v).append(' ');
                    }
                    if (rs.getBoolean("final")) {
                        row.append(rs.getObject(n)); // updated_at: a final bucket is not even rewritten
                    }
                    out.add(r.table().table() + " " + row);
                }
            }
        }
        out.sort(String::compareTo);
        return out;
    }
}
