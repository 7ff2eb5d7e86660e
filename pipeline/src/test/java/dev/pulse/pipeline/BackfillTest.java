package dev.pulse.pipeline;

import static dev.pulse.pipeline.MixedTraffic.definitions;
import static dev.pulse.pipeline.MixedTraffic.expectedMetrics;
import static dev.pulse.pipeline.MixedTraffic.funnelTraffic;
import static dev.pulse.pipeline.MixedTraffic.json;
import static dev.pulse.pipeline.MixedTraffic.shop;
import static dev.pulse.pipeline.MixedTraffic.traffic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.BackfillPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.MixedTraffic.Line;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a new version is computed (docs/changes.md), on real engines: a version pinned by the operator
 * reads the records before its hand-over in one bounded history read and the records from it on
 * live, and every result is compared with an independent computation over the produced events
 * ({@link ExpectedMetrics}, {@link FunnelRetentionTraffic}). Final rows are never written again
 * (the upsert keeps the first final row), so a table that ends equal to the full computation never
 * held a premature final row.
 */
class BackfillTest {
    private static final long HOUR = 3_600_000;
    private static final String FUNNEL = FunnelRetentionTraffic.funnel("f-ordered", "ordered", "uniques", true);
    private static final String RETENTION = FunnelRetentionTraffic.retention("r-bounded", "bounded");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @RegisterExtension
    static final StreamingEngines ENGINES = new StreamingEngines();

    @TempDir
    static Path savepoints;

    @Test
    void aNewVersionIsComputedOverTheWholeTopicWhileTheOthersKeepTheirState() throws Exception {
        String topic = "backfill-upgrade";
        ENGINES.createTopic(topic, StreamingEngines.PARTITIONS);
        String jdbc = ENGINES.database("backfill_upgrade");
        List<Line> lines = traffic(41);
        int quarter = lines.size() / 4;
        String v1Yaml = definitions(topic, List.of("buyers-by-country", "revenue", "amount-min", "checkout-conversion"), FUNNEL);
        // buyers-by-country gains a dimension (a new version), checkout-conversion goes, the rest stays
        String v2Yaml = definitions(topic, List.of("buyers-by-country", "revenue", "amount-min"), FUNNEL)
                .replace("dimensions: [country]", "dimensions: [country, platform]");

        // v1 is applied to a topic that holds the first quarter: that quarter is v1's history
        ENGINES.produceLines(topic, json(lines.subList(0, quarter)));
        PipelinePlan v1 = TestPlans.compile(v1Yaml).pinned(System.currentTimeMillis(), ENGINES.endOffsets(topic), Map.of());
        JobClient first = start(v1, jdbc, null, false, "v1");
        StreamingEngines.await("v1's first final rows", () -> ServingRows.finalCount(jdbc, v1) > 20);
        // a savepoint taken while a finished read's task winds down can fail (Flink): not what this test is about
        awaitHistoryReadsFinished(first);
        ENGINES.produceLines(topic, json(lines.subList(quarter, 2 * quarter)));
        String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();

        // while no job runs the topic grows; v2 is pinned where it ends then, as the operator pins it
        ENGINES.produceLines(topic, json(lines.subList(2 * quarter, 3 * quarter)));
        Map<Integer, Long> handOver = ENGINES.endOffsets(topic);
        PipelinePlan v2 = TestPlans.compile(v2Yaml, v1).pinned(System.currentTimeMillis(), handOver, Map.of());
        AnalysisPlan buyers = v2.analysis(AnalysisKind.Metric, "buyers-by-country").orElseThrow();
        assertThat(buyers.id()).isNotEqualTo(v1.analysis(AnalysisKind.Metric, "buyers-by-country").orElseThrow().id());
        assertThat(buyers.backfill().handOver()).isEqualTo(handOver);
        for (AnalysisPlan a : v2.analyses()) {
            if (!a.id().equals(buyers.id())) {
                assertThat(a.backfill()).as(a.name() + " keeps its pins").isEqualTo(v1.analysis(a.kind(), a.name()).orElseThrow().backfill());
            }
        }
        assertThat(v2.analysis(AnalysisKind.Metric, "checkout-conversion")).isEmpty();

        JobClient second = start(v2, jdbc, savepoint, false, "v2");
        try {
            ENGINES.produceLines(topic, json(lines.subList(3 * quarter, lines.size())));
            ENGINES.heartbeat(topic, lines.get(lines.size() - 1).time() + 24 * HOUR);
            Map<String, ExpectedMetrics.Row> expected = expectedMetrics(v2, shop(lines),
                    Map.of("buyers-by-country", List.of("country", "platform")));
            AnalysisPlan funnel = v2.analysis(AnalysisKind.Funnel, "f-ordered").orElseThrow();
            Set<JsonNode> expectedFunnel = FunnelRetentionTraffic.expectedFunnel(funnel, funnelTraffic(lines));
            StreamingEngines.awaitAsserted("every row of v2 final and exact over every event", () -> {
                assertThat(second.getJobStatus().get().isGloballyTerminalState()).as("the restored job ended").isFalse();
                Map<String, ServingRows.Stored> stored = ServingRows.read(jdbc, v2);
                ExpectedMetrics.assertSameRows(expected, ServingRows.rowsOf(stored));
                assertThat(stored.values()).allMatch(ServingRows.Stored::isFinal);
                assertThat(ServingRows.analysisRows(jdbc, funnel, true)).containsExactlyInAnyOrderElementsOf(expectedFunnel);
                assertThat(ServingRows.analysisRows(jdbc, funnel, false)).hasSameSizeAs(expectedFunnel);
            });
            // the new version's history read commits its end where the operator reads progress
            StreamingEngines.await("the history read's progress at its hand-over",
                    () -> ENGINES.committed(buyers.backfill().historyGroup(v2.stream()), topic).equals(handOver));
        } finally {
            cancel(second);
        }
    }

    @Test
    void aJobRestartedAfterItsHistoryReadFinishedDoesNotReadItAgain() throws Exception {
        String topic = "backfill-restart";
        ENGINES.createTopic(topic, StreamingEngines.PARTITIONS);
        String jdbc = ENGINES.database("backfill_restart");
        List<Line> lines = traffic(43);
        int half = lines.size() / 2;
        ENGINES.produceLines(topic, json(lines.subList(0, half)));
        Map<Integer, Long> handOver = ENGINES.endOffsets(topic);
        // partitions idle after a second: the live source goes idle while nothing comes
        String yaml = definitions(topic, List.of("buyers-by-country", "amount-min"), FUNNEL).replace("idleTimeout: 1m", "idleTimeout: 1s");
        PipelinePlan plan = TestPlans.compile(yaml).pinned(System.currentTimeMillis(), handOver, Map.of());
        // the live source resumes at the hand-over, as after an upgrade: the first half is read by the history read only
        ENGINES.commit(plan.stream().consumerGroup(), topic, handOver);
        String historyGroup = plan.analyses().get(0).backfill().historyGroup(plan.stream());

        JobClient job = start(plan, jdbc, null, true, "restart");
        try {
            StreamingEngines.await("the history read finished and checkpointed",
                    () -> ENGINES.committed(historyGroup, topic).equals(handOver) && !ServingRows.read(jdbc, plan).isEmpty());
            // the read is over and the live source idle: the watermark stays where the live one is (nowhere
            // yet), not at the end of time. Every window of the history is open, so reading it twice would count it twice
            Thread.sleep(2_000);
            assertThat(ServingRows.read(jdbc, plan).values()).noneMatch(ServingRows.Stored::isFinal);
            long killedAt = System.currentTimeMillis();
            try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'backfill_restart' AND pid <> pg_backend_pid()");
            }
            ENGINES.produceLines(topic, json(lines.subList(half, lines.size())));
            long end = lines.get(lines.size() - 1).time() + 24 * HOUR;
            ENGINES.heartbeat(topic, end);

            Map<String, ExpectedMetrics.Row> expected = expectedMetrics(plan, shop(lines), Map.of());
            AnalysisPlan funnel = plan.analysis(AnalysisKind.Funnel, "f-ordered").orElseThrow();
            Set<JsonNode> expectedFunnel = FunnelRetentionTraffic.expectedFunnel(funnel, funnelTraffic(lines));
            // the restarted job's source has no watermark until records come (Flink does not checkpoint it)
            StreamingEngines.awaitQuietly(job, () -> ServingRows.finalCount(jdbc, plan) == expected.size()
                    && ServingRows.analysisRows(jdbc, funnel, true).size() == expectedFunnel.size(), () -> ENGINES.heartbeat(topic, end));
            Map<String, ServingRows.Stored> stored = ServingRows.read(jdbc, plan);
            ExpectedMetrics.assertSameRows(expected, ServingRows.rowsOf(stored));
            assertThat(stored.values()).allMatch(ServingRows.Stored::isFinal);
            assertThat(ServingRows.analysisRows(jdbc, funnel, true)).containsExactlyInAnyOrderElementsOf(expectedFunnel);
            try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = 'backfill_restart' AND backend_start > to_timestamp("
                            + killedAt / 1000.0 + ") AND pid <> pg_backend_pid()")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the job restarted and reconnected").isPositive();
            }
        } finally {
            cancel(job);
        }
    }

    @Test
    void aHistoryReadRestoredBeforeItFinishedCompletes() throws Exception {
        String topic = "backfill-unfinished";
        ENGINES.createTopic(topic, StreamingEngines.PARTITIONS);
        String jdbc = ENGINES.database("backfill_unfinished");
        List<Line> lines = traffic(53);
        int half = lines.size() / 2;
        ENGINES.produceLines(topic, json(lines.subList(0, half)));
        Map<Integer, Long> end = ENGINES.endOffsets(topic);
        // the hand-over lies 40 records ahead on each partition: the read waits for them, unfinished
        Map<Integer, Long> handOver = new TreeMap<>();
        end.forEach((partition, offset) -> handOver.put(partition, offset + 40));
        PipelinePlan plan = TestPlans.compile(definitions(topic, List.of("buyers-by-country", "amount-min"), FUNNEL))
                .pinned(System.currentTimeMillis(), handOver, Map.of());
        String historyGroup = plan.analyses().get(0).backfill().historyGroup(plan.stream());

        JobClient first = start(plan, jdbc, null, false, "unfinished");
        StreamingEngines.await("the history read at the end of the topic",
                () -> ENGINES.committed(historyGroup, topic).equals(end) && !ServingRows.read(jdbc, plan).isEmpty());
        assertThat(ServingRows.read(jdbc, plan).values()).noneMatch(ServingRows.Stored::isFinal);
        String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();

        ENGINES.produceLines(topic, json(lines.subList(half, lines.size())));
        long last = lines.get(lines.size() - 1).time() + 24 * HOUR;
        ENGINES.heartbeat(topic, last);
        JobClient second = start(plan, jdbc, savepoint, false, "unfinished, restored");
        try {
            Map<String, ExpectedMetrics.Row> expected = expectedMetrics(plan, shop(lines), Map.of());
            AnalysisPlan funnel = plan.analysis(AnalysisKind.Funnel, "f-ordered").orElseThrow();
            Set<JsonNode> expectedFunnel = FunnelRetentionTraffic.expectedFunnel(funnel, funnelTraffic(lines));
            StreamingEngines.awaitAsserted("the restored read finished: every row final and exact", () -> {
                assertThat(second.getJobStatus().get().isGloballyTerminalState()).as("the restored job ended").isFalse();
                Map<String, ServingRows.Stored> stored = ServingRows.read(jdbc, plan);
                ExpectedMetrics.assertSameRows(expected, ServingRows.rowsOf(stored));
                assertThat(stored.values()).allMatch(ServingRows.Stored::isFinal);
                assertThat(ServingRows.analysisRows(jdbc, funnel, true)).containsExactlyInAnyOrderElementsOf(expectedFunnel);
            });
            StreamingEngines.await("the history read's progress at its hand-over", () -> ENGINES.committed(historyGroup, topic).equals(handOver));
        } finally {
            cancel(second);
        }
    }

    @Test
    void withBackfillFromNoneOnlyWindowsStartingAfterTheChangeAreFinal() throws Exception {
        String topic = "backfill-none";
        ENGINES.createTopic(topic, StreamingEngines.PARTITIONS);
        String jdbc = ENGINES.database("backfill_none");
        List<Line> lines = traffic(47);
        // the version is applied just after the last record before the hand-over; the first record
        // after it is a purchase, so it falls into hopping and cumulative windows that start before
        int cut = lines.size() * 2 / 5;
        while (lines.get(cut).shop() == null || !"purchase".equals(lines.get(cut).shop().type())) {
            cut++;
        }
        ENGINES.produceLines(topic, json(lines.subList(0, cut)));
        long pinnedAt = lines.get(cut - 1).time() + 1;
        String yaml = definitions(topic, List.of("revenue", "buyers-by-country", "amount-min"), FUNNEL, RETENTION)
                .replace("  stream: shop-events\n", "  stream: shop-events\n  backfill: {from: none}\n");
        PipelinePlan plan = TestPlans.compile(yaml).pinned(pinnedAt, ENGINES.endOffsets(topic), Map.of());
        assertThat(plan.analyses()).hasSize(5).allSatisfy(a -> {
            assertThat(a.backfill().mode()).isEqualTo(BackfillPlan.Mode.none);
            assertThat(a.backfill().finalFromMs()).isEqualTo(pinnedAt);
        });

        JobClient job = start(plan, jdbc, null, false, "none");
        try {
            ENGINES.produceLines(topic, json(lines.subList(cut, lines.size())));
            long end = lines.get(lines.size() - 1).time() + 24 * HOUR;
            ENGINES.heartbeat(topic, end);

            List<Line> after = lines.subList(cut, lines.size());
            Map<String, ExpectedMetrics.Row> expected = expectedMetrics(plan, shop(after), Map.of());
            AnalysisPlan funnel = plan.analysis(AnalysisKind.Funnel, "f-ordered").orElseThrow();
            AnalysisPlan retention = plan.analysis(AnalysisKind.Retention, "r-bounded").orElseThrow();
            Set<JsonNode> expectedFunnel = FunnelRetentionTraffic.expectedFunnel(funnel, funnelTraffic(after));
            Set<JsonNode> expectedRetention = FunnelRetentionTraffic.expectedRetention(retention, funnelTraffic(after), end);
            StreamingEngines.awaitAsserted("rows over the records from the hand-over on, final only after the change", () -> {
                assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("the job ended").isFalse();
                Map<String, ServingRows.Stored> stored = ServingRows.read(jdbc, plan);
                ExpectedMetrics.assertSameRows(expected, ServingRows.rowsOf(stored));
                assertThat(stored.values()).allSatisfy(s -> assertThat(s.isFinal()).as(s.row().key()).isEqualTo(s.row().start() >= pinnedAt));
                assertThat(ServingRows.analysisRows(jdbc, funnel, false)).containsExactlyInAnyOrderElementsOf(expectedFunnel);
                assertThat(ServingRows.analysisRows(jdbc, funnel, true))
                        .containsExactlyInAnyOrderElementsOf(startingFrom(expectedFunnel, "windowStart", pinnedAt));
                assertThat(ServingRows.analysisRows(jdbc, retention, false)).containsExactlyInAnyOrderElementsOf(expectedRetention);
                assertThat(ServingRows.analysisRows(jdbc, retention, true))
                        .containsExactlyInAnyOrderElementsOf(startingFrom(expectedRetention, "cohortStart", pinnedAt));
            });
            // the change cuts through hopping and cumulative windows, reporting windows and cohorts:
            // some rows stay provisional, later ones are final
            Map<String, ServingRows.Stored> stored = ServingRows.read(jdbc, plan);
            for (String metric : List.of("buyers-by-country", "amount-min")) {
                assertThat(stored.values().stream().filter(s -> s.row().name().equals(metric)))
                        .as(metric).anyMatch(ServingRows.Stored::isFinal).anyMatch(s -> !s.isFinal());
            }
            assertThat(startingFrom(expectedFunnel, "windowStart", pinnedAt)).isNotEmpty().hasSizeLessThan(expectedFunnel.size());
            assertThat(startingFrom(expectedRetention, "cohortStart", pinnedAt)).isNotEmpty().hasSizeLessThan(expectedRetention.size());
        } finally {
            cancel(job);
        }
    }

    private static Set<JsonNode> startingFrom(Set<JsonNode> rows, String startField, long from) {
        return rows.stream().filter(r -> Instant.parse(r.get(startField).asText()).toEpochMilli() >= from).collect(Collectors.toSet());
    }

    private static JobClient start(PipelinePlan plan, String jdbc, String savepoint, boolean restarts, String name) throws Exception {
        StreamExecutionEnvironment env = StreamingEngines.environment(restarts, savepoint);
        PipelineJob.define(env, plan, ENGINES.settings(jdbc, null));
        return env.executeAsync(name);
    }

    /** Waits until every history read of the job has finished (its tasks, not only its records). */
    private static void awaitHistoryReadsFinished(JobClient job) throws Exception {
        try (RestClusterClient<StandaloneClusterId> client = new RestClusterClient<>(FLINK.getClientConfiguration(), StandaloneClusterId.getInstance())) {
            StreamingEngines.await("the history reads finished", () -> client.getJobDetails(job.getJobID()).get().getJobVertexInfos().stream()
                    .filter(v -> v.getName().startsWith("Source: history"))
                    .allMatch(v -> v.getExecutionState() == ExecutionState.FINISHED));
        }
    }

    private static void cancel(JobClient job) throws Exception {
        if (!job.getJobStatus().get().isGloballyTerminalState()) {
            job.cancel().get();
        }
    }
}
