package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.DeadLetters;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.RollupLayout;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.pipeline.ShopEvents.ShopEvent;
import dev.pulse.pipeline.replay.Replay;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job on real engines: an in-JVM Kafka broker, a Flink MiniCluster and embedded
 * PostgreSQL. Every final row in PostgreSQL is compared with {@link ExpectedMetrics}.
 */
class StreamingPipelineTest {
    private static final long HOUR = 3_600_000;
    private static final int PARTITIONS = StreamingEngines.PARTITIONS;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @RegisterExtension
    static final StreamingEngines ENGINES = new StreamingEngines();

    @TempDir
    Path dir;

    @Test
    void finalRowsAreExactLateEventsAreCountedAndReplayAgrees() throws Exception {
        String topic = "shop-events-exact";
        PipelinePlan plan = StreamingEngines.plan(topic);
        String jdbc = ENGINES.database("exact");
        ENGINES.createTopic(topic, PARTITIONS);
        ENGINES.createTopic(topic + ".dead", 1);
        ENGINES.createTopic("growth.orders-by-platform.results", 1);

        List<ShopEvent> events = ShopEvents.generate(11, 3000, 120, 4000);
        ENGINES.produce(topic, events, true);
        ENGINES.heartbeat(topic, ShopEvents.T0 + HOUR);

        StreamExecutionEnvironment env = StreamingEngines.environment(false);
        var metrics = PipelineJob.define(env, plan, ENGINES.settings(jdbc, topic + ".dead"));
        DataStream<String> late = null;
        for (var m : metrics) {
            String name = m.plan().name();
            DataStream<String> names = m.late().map(o -> name).returns(Types.STRING);
            late = late == null ? names : late.union(names);
        }
        CloseableIterator<String> lateEvents = late.collectAsync();
        JobClient job = env.executeAsync("streaming exact");
        try {
            Map<String, ExpectedMetrics.Row> expected = ExpectedMetrics.compute(events);
            StreamingEngines.await("final rows", () -> ServingRows.finalCount(jdbc, plan) == expected.size());

            // events for windows long final: late, counted, not in any row
            List<ShopEvent> tooLate = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tooLate.add(new ShopEvent("purchase", "late-" + i, ShopEvents.T0 + 30_000 + i, "ios", "US", 1000.0, 5L, true, false));
            }
            ENGINES.produce(topic, tooLate, false);
            ENGINES.heartbeat(topic, ShopEvents.T0 + 2 * HOUR);
            Map<String, Long> lateByMetric = new HashMap<>();
            long expectedLate = 20L * 8; // every metric but bulk-views takes these events
            long deadline = System.currentTimeMillis() + 60_000;
            while (lateByMetric.values().stream().mapToLong(Long::longValue).sum() < expectedLate && System.currentTimeMillis() < deadline) {
                if (lateEvents.hasNext()) {
                    lateByMetric.merge(lateEvents.next(), 1L, Long::sum);
                }
            }
            assertThat(lateByMetric).hasSize(8).allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(20));
            assertThat(lateByMetric).doesNotContainKey("bulk-views");

            Map<String, ServingRows.Stored> stored = ServingRows.read(jdbc, plan);
            assertThat(stored.values()).allMatch(ServingRows.Stored::isFinal);
            ExpectedMetrics.assertSameRows(expected, ServingRows.rowsOf(stored));

            assertThat(finalKeys("growth.orders-by-platform.results"))
                    .isEqualTo(expected.values().stream().filter(r -> r.name().equals("orders-by-platform")).count());
            // the dead letters: each malformed record once, and each late event once per metric it was late for
            Map<String, Long> deadByReason = new HashMap<>();
            Map<String, Long> lateLettersByMetric = new HashMap<>();
            for (var r : ENGINES.consume(topic + ".dead")) {
                var reason = r.headers().lastHeader(DeadLetters.REASON);
                boolean isLate = reason != null && new String(reason.value(), StandardCharsets.UTF_8).equals(DeadLetters.Reason.LATE.code());
                deadByReason.merge(isLate ? "late" : "malformed", 1L, Long::sum);
                if (isLate) {
                    String analysis = new String(r.headers().lastHeader(DeadLetters.ANALYSIS).value(), StandardCharsets.UTF_8);
                    lateLettersByMetric.merge(analysis.substring(analysis.lastIndexOf('/') + 1), 1L, Long::sum);
                }
            }
            assertThat(deadByReason).containsEntry("malformed", (long) ShopEvents.MALFORMED.size()).containsEntry("late", expectedLate);
            assertThat(lateLettersByMetric).isEqualTo(lateByMetric);

            // the same events replayed from a file give the same rows
            Path file = Files.write(dir.resolve("events.jsonl"), events.stream().map(ShopEvent::json).toList());
            StringWriter out = new StringWriter();
            Replay.run(List.of(plan), List.of(file), out, new PrintStream(PrintStream.nullOutputStream()));
            ExpectedMetrics.assertSameRows(ServingRows.rowsOf(stored), ExpectedMetrics.parse(out.toString()));
        } finally {
            job.cancel().get();
            lateEvents.close();
        }
    }

    @Test
    void aFailureMidStreamRestartsFromTheCheckpointWithExactRows() throws Exception {
        String topic = "shop-events-failure";
        PipelinePlan plan = StreamingEngines.plan(topic);
        String jdbc = ENGINES.database("failure");
        ENGINES.createTopic(topic, PARTITIONS);
        ENGINES.createTopic("growth.orders-by-platform.results", 1);

        List<ShopEvent> events = ShopEvents.generate(23, 3000, 120, 4000);
        ENGINES.produce(topic, events.subList(0, 1500), false);
        try (Connection c = DriverManager.getConnection(jdbc)) {
            ServingSchema.apply(c, List.of(plan)); // as the operator does: tables, rollups, catalog
        }

        StreamExecutionEnvironment env = StreamingEngines.environment(true);
        PipelineJob.define(env, plan, ENGINES.settings(jdbc, null));
        JobClient job = env.executeAsync("streaming failure");
        try {
            StreamingEngines.await("first rows", () -> ServingRows.read(jdbc, plan).size() > 20);
            long killedAt = System.currentTimeMillis();
            try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'failure' AND pid <> pg_backend_pid()");
            }
            ENGINES.produce(topic, events.subList(1500, events.size()), false);
            ENGINES.heartbeat(topic, ShopEvents.T0 + HOUR);

            Map<String, ExpectedMetrics.Row> expected = ExpectedMetrics.compute(events);
            // Flink does not checkpoint a source's watermark: a job restored from a checkpoint taken
            // after the last record (the heartbeat read, its watermark not yet passed on) moves its
            // watermark only with new records, as a live stream's keep coming. Keep the stream alive.
            StreamingEngines.awaitQuietly(job, () -> ServingRows.finalCount(jdbc, plan) == expected.size(), () -> ENGINES.heartbeat(topic, ShopEvents.T0 + HOUR));
            Map<String, ServingRows.Stored> stored = ServingRows.read(jdbc, plan);
            ExpectedMetrics.assertSameRows(expected, ServingRows.rowsOf(stored));
            assertThat(stored.values()).allMatch(ServingRows.Stored::isFinal);
            // the rollups, kept by the sink through the failure and the rewrites after the restore: a recount of the events
            // (amount-p90 included: its hourly and daily percentiles within the sketch's 1%)
            List<Long> grains = plan.analyses().stream().flatMap(a -> RollupLayout.of(a).stream()).map(RollupLayout::grainMs).distinct().toList();
            assertThat(grains).containsExactlyInAnyOrder(5 * 60_000L, HOUR, 24 * HOUR);
            for (long grain : grains) {
                Map<String, ServingRows.Stored> rollups = ServingRows.readRollups(jdbc, plan, grain);
                Map<String, ExpectedMetrics.Row> recount = new HashMap<>();
                ExpectedMetrics.computeAt(events, grain).forEach((k, r) -> {
                    // the analyses with a rollup at this grain (amount-p90's 2-minute windows have 1h and 1d, not 5m)
                    if (plan.analyses().stream().anyMatch(a -> a.name().equals(r.name())
                            && RollupLayout.of(a).stream().anyMatch(l -> l.grainMs() == grain))) {
                        recount.put(k, r);
                    }
                });
                assertThat(recount).as("rollups at " + grain).isNotEmpty();
                ExpectedMetrics.assertSameRows(recount, ServingRows.rowsOf(rollups));
                assertThat(rollups.values()).allMatch(ServingRows.Stored::isFinal);
            }
            try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = 'failure' AND backend_start > to_timestamp("
                            + killedAt / 1000.0 + ") AND pid <> pg_backend_pid()")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the job restarted and reconnected").isPositive();
            }
        } finally {
            job.cancel().get();
        }
    }

    static long count(String topic) {
        return ENGINES.consume(topic).size();
    }

    /** Distinct keys of a result topic whose latest value is final. */
    static long finalKeys(String topic) {
        Map<String, String> latest = new HashMap<>();
        ENGINES.consume(topic).forEach(r -> latest.put(r.key(), r.value()));
        return latest.values().stream().filter(v -> v.contains("\"final\":true")).count();
    }
}
