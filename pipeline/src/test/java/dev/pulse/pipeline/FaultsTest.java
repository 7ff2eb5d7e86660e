package dev.pulse.pipeline;

import static dev.pulse.pipeline.MixedTraffic.definitions;
import static dev.pulse.pipeline.MixedTraffic.expectedMetrics;
import static dev.pulse.pipeline.MixedTraffic.funnelTraffic;
import static dev.pulse.pipeline.MixedTraffic.json;
import static dev.pulse.pipeline.MixedTraffic.shop;
import static dev.pulse.pipeline.MixedTraffic.traffic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.pipeline.MixedTraffic.Line;
import dev.pulse.pipeline.metric.MetricRow;
import dev.pulse.testsupport.EmbeddedKafka;
import dev.pulse.testsupport.TcpProxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once through faults, on real engines, for a Metric, a Funnel and a Retention in one job
 * that restarts as the rendered pipelines do: a task failure mid-stream, PostgreSQL refusing
 * connections for 30 s (a {@link TcpProxy} in front of it) and a Kafka broker restart, one after
 * the other while traffic flows. After each fault every final row so far equals the independent
 * computation ({@link ExpectedMetrics}, {@link FunnelRetentionTraffic}); at the end every row is
 * final and equal to it. A trigger logs every final row the job writes, refused ones included (a
 * final row is never overwritten), so a final number the job tried to change shows.
 */
class FaultsTest {
    private static final long HOUR = 3_600_000;
    private static final long MINUTE = 60_000;
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final String METRIC = "revenue";
    private static final String FUNNEL = FunnelRetentionTraffic.funnel("f-totals", "ordered", "totals", true);
    private static final String RETENTION = FunnelRetentionTraffic.retention("r-bounded", "bounded");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(FaultsTest.class);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(StreamingEngines.PARTITIONS).build());

    @RegisterExtension
    static final StreamingEngines ENGINES = new StreamingEngines();

    @Test
    void rowsStayExactAndFinalRowsUnchangedThroughATaskFailureAPostgresOutageAndABrokerRestart() throws Exception {
        String topic = "faults";
        ENGINES.createTopic(topic, StreamingEngines.PARTITIONS);
        String direct = ENGINES.database("faults");
        PipelinePlan plan = TestPlans.compile(definitions(topic, List.of(METRIC), FUNNEL, RETENTION));
        AnalysisPlan funnel = plan.analysis(AnalysisKind.Funnel, "f-totals").orElseThrow();
        AnalysisPlan retention = plan.analysis(AnalysisKind.Retention, "r-bounded").orElseThrow();
        FinalWrites finalWrites = FinalWrites.install(direct, plan);

        List<Line> lines = traffic(59);
        int quarter = lines.size() / 4;
        long end = lines.get(lines.size() - 1).time() + 24 * HOUR;
        Expected expected = new Expected(expectedMetrics(plan, shop(lines), Map.of()),
                FunnelRetentionTraffic.expectedFunnel(funnel, funnelTraffic(lines)),
                FunnelRetentionTraffic.expectedRetention(retention, funnelTraffic(lines), end));
        assertThat(expected.metric()).hasSizeGreaterThan(200);
        assertThat(expected.funnel()).hasSizeGreaterThan(10);
        assertThat(expected.retention()).hasSizeGreaterThan(10);

        try (TcpProxy proxy = TcpProxy.start("localhost", ENGINES.postgresPort())) {
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/faults?user=postgres";
            StreamExecutionEnvironment env = StreamingEngines.renderedRestartsEnvironment();
            List<PipelineGraph.MetricOutput> metrics = PipelineJob.define(env, plan, ENGINES.settings(viaProxy, null));
            // (a) fails the metric's task at its first row of a window in the middle of the second quarter
            FailOnce.FAILURES.set(0);
            metrics.get(0).rows().filter(new FailOnce(lines.get(quarter + quarter / 2).time())).name("fails once")
                    .sinkTo(new DiscardingSink<>()).name("nothing");
            JobClient job = env.executeAsync("faults");
            Phases phases = new Phases(job, topic, plan, direct, expected, finalWrites);
            try {
                phases.produce(lines.subList(0, quarter));
                phases.assertExactSoFar("before the faults");

                // (a) a task failure mid-stream
                phases.produce(lines.subList(quarter, 2 * quarter));
                StreamingEngines.await("the injected task failure", () -> FailOnce.FAILURES.get() == 1);
                phases.assertExactSoFar("after the task failure");

                // (b) PostgreSQL refuses connections for 30 s, open ones cut, while traffic flows
                long acceptedBefore = proxy.acceptedConnections();
                int third = 2 * quarter + quarter / 2;
                phases.produce(lines.subList(2 * quarter, third));
                proxy.refuse();
                phases.produce(lines.subList(third, 3 * quarter));
                Set<JobStatus> during = phases.watch(OUTAGE);
                proxy.accept();
                assertThat(during).as("the job failed over while PostgreSQL refused connections, and never ended")
                        .contains(JobStatus.RESTARTING).allMatch(s -> !s.isGloballyTerminalState());
                phases.assertExactSoFar("after the PostgreSQL outage");
                assertThat(proxy.acceptedConnections()).as("the job reconnected through the proxy").isGreaterThan(acceptedBefore);

                // (c) the broker restarts on its port with its data, while traffic flows
                int half = 3 * quarter + quarter / 2;
                phases.produce(lines.subList(3 * quarter, half));
                EmbeddedKafka kafka = ENGINES.kafka();
                kafka.stop();
                Set<JobStatus> whileDown = phases.watch(Duration.ofSeconds(3));
                kafka.restart();
                assertThat(whileDown).as("the job did not end while the broker was down").allMatch(s -> !s.isGloballyTerminalState());
                phases.produce(lines.subList(half, lines.size()));
                phases.assertExactSoFar("after the broker restart");

                // the watermark passes everything: every row final and exact
                phases.awaitAllFinal(end);
                Map<String, ServingRows.Stored> stored = ServingRows.read(direct, plan);
                assertThat(stored.values()).allMatch(ServingRows.Stored::isFinal);
                ExpectedMetrics.assertSameRows(expected.metric(), ServingRows.rowsOf(stored));
                assertThat(ServingRows.analysisRows(direct, funnel, false)).containsExactlyInAnyOrderElementsOf(expected.funnel());
                assertThat(ServingRows.analysisRows(direct, funnel, true)).containsExactlyInAnyOrderElementsOf(expected.funnel());
                assertThat(ServingRows.analysisRows(direct, retention, false)).containsExactlyInAnyOrderElementsOf(expected.retention());
                assertThat(ServingRows.analysisRows(direct, retention, true)).containsExactlyInAnyOrderElementsOf(expected.retention());
                finalWrites.assertNoFinalRowChanged("at the end");
                assertThat(FailOnce.FAILURES.get()).as("injected task failures").isEqualTo(1);
            } finally {
                if (!job.getJobStatus().get().isGloballyTerminalState()) {
                    job.cancel().get();
                }
            }
        }
    }

    /** The expected rows over all the traffic. */
    private record Expected(Map<String, ExpectedMetrics.Row> metric, Set<JsonNode> funnel, Set<JsonNode> retention) {
    }

    /** The test's steps against the running job. */
    private static final class Phases {
        private final JobClient job;
        private final String topic;
        private final PipelinePlan plan;
        private final String jdbc;
        private final Expected expected;
        private final FinalWrites finalWrites;
        private final long startedAt = System.nanoTime();
        /** The event time of the last line produced. */
        private long produced = Long.MIN_VALUE;

        Phases(JobClient job, String topic, PipelinePlan plan, String jdbc, Expected expected, FinalWrites finalWrites) {
            this.job = job;
            this.topic = topic;
            this.plan = plan;
            this.jdbc = jdbc;
            this.expected = expected;
            this.finalWrites = finalWrites;
        }

        void produce(List<Line> lines) {
            ENGINES.produceLines(topic, json(lines));
            produced = lines.get(lines.size() - 1).time();
        }

        /** Watches the job's status for a while (a fault's length); every status seen. */
        Set<JobStatus> watch(Duration length) throws Exception {
            Set<JobStatus> seen = EnumSet.noneOf(JobStatus.class);
            long until = System.nanoTime() + length.toNanos();
            while (System.nanoTime() < until) {
                seen.add(job.getJobStatus().get());
                Thread.sleep(100);
            }
            return seen;
        }

        /**
         * Waits until the metric's rows of windows well behind the traffic produced so far are all
         * final (the job recovered and caught up), then: every final row of each kind equals the
         * independent computation, and no final row was written with other values.
         */
        void assertExactSoFar(String phase) throws Exception {
            long behind = produced - 10 * MINUTE;
            Set<String> due = expected.metric().values().stream().filter(r -> r.end() <= behind).map(ExpectedMetrics.Row::key)
                    .collect(Collectors.toSet());
            assertThat(due).as(phase + ": rows due").isNotEmpty();
            long last = produced;
            StreamingEngines.awaitQuietly(job, () -> finalMetricRows().keySet().containsAll(due), () -> ENGINES.heartbeat(topic, last));
            Map<String, ExpectedMetrics.Row> finals = finalMetricRows();
            assertThat(finals.keySet()).as(phase + ": the metric's final rows").containsAll(due);
            Map<String, ExpectedMetrics.Row> expectedFinals = new HashMap<>(expected.metric());
            expectedFinals.keySet().retainAll(finals.keySet());
            ExpectedMetrics.assertSameRows(expectedFinals, finals);
            for (AnalysisPlan a : plan.analyses()) {
                if (a.metric() == null) {
                    Set<JsonNode> rows = ServingRows.analysisRows(jdbc, a, true);
                    assertThat(a.funnel() != null ? expected.funnel() : expected.retention()).as(phase + ": final rows of " + a.name())
                            .containsAll(rows);
                }
            }
            finalWrites.assertNoFinalRowChanged(phase);
            LOG.info("{}: exact after {} s", phase, Duration.ofNanos(System.nanoTime() - startedAt).toSeconds());
        }

        private Map<String, ExpectedMetrics.Row> finalMetricRows() throws Exception {
            Map<String, ServingRows.Stored> stored = ServingRows.read(jdbc, plan);
            stored.values().removeIf(s -> !s.isFinal());
            return ServingRows.rowsOf(stored);
        }

        /** Waits until every expected row of each kind is final, moving the watermark to {@code end}. */
        void awaitAllFinal(long end) throws Exception {
            AnalysisPlan funnel = plan.analysis(AnalysisKind.Funnel, "f-totals").orElseThrow();
            AnalysisPlan retention = plan.analysis(AnalysisKind.Retention, "r-bounded").orElseThrow();
            ENGINES.heartbeat(topic, end);
            StreamingEngines.awaitQuietly(job, () -> ServingRows.finalCount(jdbc, plan) == expected.metric().size()
                    && ServingRows.analysisRows(jdbc, funnel, true).size() == expected.funnel().size()
                    && ServingRows.analysisRows(jdbc, retention, true).size() == expected.retention().size(),
                    () -> ENGINES.heartbeat(topic, end));
        }
    }

    /**
     * Throws once, at the first metric row of a window starting at or after {@code at}: a task
     * failure in the middle of the stream. Counts in a static field, which the MiniCluster in this
     * JVM shares with the test.
     */
    private static final class FailOnce implements FilterFunction<MetricRow> {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger FAILURES = new AtomicInteger();
        private final long at;

        FailOnce(long at) {
            this.at = at;
        }

        @Override
        public boolean filter(MetricRow row) {
            if (row.windowStart >= at && FAILURES.compareAndSet(0, 1)) {
                throw new IllegalStateException("injected task failure at the window of " + Instant.ofEpochMilli(row.windowStart));
            }
            return false;
        }
    }

    /**
     * Every final row the job writes into the plan's tables, logged by a trigger before the upsert
     * decides (so a final row the upsert refuses to overwrite is logged too).
     */
    private record FinalWrites(String jdbc, Map<String, TableLayout> tables) {
        static FinalWrites install(String jdbc, PipelinePlan plan) throws Exception {
            Map<String, TableLayout> tables = new HashMap<>();
            try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
                // the tables as the operator creates them, before the job writes
                ServingSchema.apply(c, List.of(plan));
                s.execute("CREATE TABLE public.final_writes (tbl text NOT NULL, row jsonb NOT NULL)");
                s.execute("""
                        CREATE FUNCTION log_final_write() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                          INSERT INTO public.final_writes VALUES (TG_ARGV[0], to_jsonb(NEW) - '%s');
                          RETURN NEW;
                        END $$""".formatted(TableLayout.UPDATED_AT));
                for (AnalysisPlan a : plan.analyses()) {
                    TableLayout layout = TableLayout.of(a);
                    tables.put(layout.schema() + "." + layout.table(), layout);
                    s.execute("CREATE TRIGGER log_final_write BEFORE INSERT ON " + layout.qualifiedName() + " FOR EACH ROW WHEN (NEW."
                            + TableLayout.quote(TableLayout.FINAL) + ") EXECUTE FUNCTION log_final_write('" + layout.schema() + "." + layout.table()
                            + "')"); // the table's name, not its day partition's (TG_TABLE_NAME)
                }
            }
            return new FinalWrites(jdbc, tables);
        }

        /** Every row key was written final with one set of values only. */
        void assertNoFinalRowChanged(String phase) throws Exception {
            Map<String, Set<JsonNode>> byKey = new HashMap<>();
            int writes = 0;
            try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT tbl, row::text FROM public.final_writes")) {
                while (rs.next()) {
                    TableLayout layout = tables.get(rs.getString(1));
                    JsonNode row = JSON.readTree(rs.getString(2));
                    List<String> key = new ArrayList<>(List.of(layout.qualifiedName()));
                    layout.keyColumns().forEach(k -> key.add(row.path(k).toString()));
                    byKey.computeIfAbsent(key.toString(), k -> new HashSet<>()).add(row);
                    writes++;
                }
            }
            assertThat(writes).as(phase + ": final rows written").isPositive();
            LOG.info("{}: {} final rows written, {} of them again with the same values", phase, byKey.size(), writes - byKey.size());
            assertThat(byKey.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::toString).toList())
                    .as(phase + ": final rows written again with other values").isEmpty();
        }
    }
}
