package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.DeadLetters;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.TableLayout;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late events for a Metric, a Funnel and a Retention at once, on real engines, before and after
 * a stop-with-savepoint and restore: no final row changes (every final row equals the brute-force
 * computation over the on-time events), and each late event is in the dead-letter topic once per
 * analysis it was late for, with reason {@code late}, the analysis, and its partition and offset.
 * A replay of the same records counts every event (a bounded replay has no late events).
 */
class LateDataTest {
    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final StreamingEngines ENGINES = new StreamingEngines();

    @TempDir
    Path dir;

    static final String METRIC = """
            ---
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: m-starts}
            spec:
              stream: shop-events
              events: [a]
              aggregation: {type: count}
              window: {type: tumbling, size: 1h}
              dimensions: [platform]
            """;

    /** A late event produced to a partition, and where Kafka put it. */
    record Produced(FunnelRetentionTraffic.Ev event, int partition, long offset) {
    }

    @Test
    void lateEventsNeverChangeAFinalRowAndGoToTheDeadLettersBeforeAndAfterARestore() throws Exception {
        String topic = "shop-events-late";
        String dead = topic + ".dlq";
        String definitions = FunnelRetentionTraffic.DEFINITIONS.replace("topic: shop-events}", "topic: " + topic + "}");
        // the stream and three analyses: f-ordered, r-bounded and the metric
        String stream = definitions.substring(0, definitions.indexOf("---"));
        PipelinePlan plan = TestPlans.compile(stream + FunnelRetentionTraffic.funnel("f-ordered", "ordered", "uniques", true)
                + FunnelRetentionTraffic.retention("r-bounded", "bounded") + METRIC);
        AnalysisPlan funnel = analysis(plan, "f-ordered");
        AnalysisPlan retention = analysis(plan, "r-bounded");
        AnalysisPlan metric = analysis(plan, "m-starts");
        assertThat(retention.allowedLatenessMs()).as("a retention's default allowedLateness").isEqualTo(MIN);
        String jdbc = ENGINES.database("late");
        ENGINES.createTopic(topic, 2);
        ENGINES.createTopic(dead, 1);

        List<FunnelRetentionTraffic.Ev> onTime = new ArrayList<>(FunnelRetentionTraffic.traffic(new Random(13), 120));
        onTime.sort(Comparator.comparingLong(FunnelRetentionTraffic.Ev::time));
        produce(topic, onTime);
        long last = onTime.get(onTime.size() - 1).time();
        long end = last + 24 * HOUR;
        ENGINES.heartbeat(topic, end);

        Set<JsonNode> funnelRows = FunnelRetentionTraffic.expectedFunnel(funnel, onTime);
        Set<JsonNode> retentionRows = FunnelRetentionTraffic.expectedRetention(retention, onTime, end);
        Map<String, Long> metricRows = expectedStarts(onTime);
        long first = onTime.get(0).time();

        StreamExecutionEnvironment env = StreamingEngines.environment(false);
        PipelineJob.define(env, plan, ENGINES.settings(jdbc, dead));
        JobClient job = env.executeAsync("late data");
        List<Produced> late = new ArrayList<>();
        try {
            StreamingEngines.await("final rows", () -> ServingRows.analysisRows(jdbc, funnel, true).size() == funnelRows.size()
                    && ServingRows.analysisRows(jdbc, retention, true).size() == retentionRows.size()
                    && finalStarts(jdbc, metric).size() == metricRows.size());
            assertRows(jdbc, funnel, funnelRows, retention, retentionRows, metric, metricRows);

            // before a restore: a cohort/step-1/metric event of a new actor, and a return/step-4 event
            // of an actor already counted, both in the first hour, long final
            late.addAll(produceLate(topic, "early", first + 5 * MIN, onTime.get(0).actor()));
            ENGINES.heartbeat(topic, end + HOUR);
            StreamingEngines.await("late events before the restore in the dead letters", () -> lateLetters(dead).size() == 5);

            Path savepoints = Files.createDirectories(dir.resolve("savepoints"));
            String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
            // right after the restore, before any watermark: the watermark is part of the state
            late.addAll(produceLate(topic, "restored", first + 6 * MIN, onTime.get(1).actor()));
            StreamExecutionEnvironment second = StreamingEngines.environment(false, savepoint);
            PipelineJob.define(second, plan, ENGINES.settings(jdbc, dead));
            job = second.executeAsync("late data, restored");
            StreamingEngines.await("late events after the restore in the dead letters", () -> lateLetters(dead).size() == 10);
            ENGINES.heartbeat(topic, end + 2 * HOUR);
            // a further heartbeat lets anything wrongly reopened become final; nothing may change
            StreamingEngines.await("the heartbeat read", () -> ENGINES.committed(plan.stream().consumerGroup(), topic).values().stream()
                    .mapToLong(Long::longValue).sum() == ENGINES.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum());

            assertRows(jdbc, funnel, funnelRows, retention, retentionRows, metric, metricRows);
            assertThat(ServingRows.analysisRows(jdbc, funnel, false)).as("no provisional funnel row either").hasSameSizeAs(funnelRows);
            assertThat(ServingRows.analysisRows(jdbc, retention, false)).as("no provisional cohort either").hasSameSizeAs(retentionRows);

            // each late event once per analysis it was late for: "a" for all three, "d" for the funnel and the retention
            Map<String, Set<String>> expectedLetters = new TreeMap<>();
            for (Produced p : late) {
                Set<String> analyses = expectedLetters.computeIfAbsent(p.partition() + "/" + p.offset(), k -> new HashSet<>());
                analyses.add(DeadLetters.analysis(funnel));
                analyses.add(DeadLetters.analysis(retention));
                if (p.event().type().equals("a")) {
                    analyses.add(DeadLetters.analysis(metric));
                }
            }
            Map<String, Set<String>> letters = new TreeMap<>();
            for (ConsumerRecord<String, String> r : lateLetters(dead)) {
                String at = header(r, DeadLetters.PARTITION) + "/" + header(r, DeadLetters.OFFSET);
                assertThat(letters.computeIfAbsent(at, k -> new HashSet<>()).add(header(r, DeadLetters.ANALYSIS)))
                        .as("one dead letter per event and analysis: %s", at).isTrue();
                JsonNode value = FunnelRetentionTraffic.JSON.readTree(r.value());
                assertThat(value.path("partition").asText() + "/" + value.path("offset").asText()).isEqualTo(at);
                assertThat(value.path("analysis").asText()).isEqualTo(header(r, DeadLetters.ANALYSIS));
            }
            assertThat(letters).isEqualTo(expectedLetters);
        } finally {
            job.cancel().get();
        }

        // replay: a bounded replay counts every event, the late ones too (docs/semantics.md)
        List<FunnelRetentionTraffic.Ev> all = new ArrayList<>(onTime);
        late.forEach(p -> all.add(p.event()));
        Path file = Files.write(dir.resolve("events.jsonl"), all.stream().map(FunnelRetentionTraffic::json).toList());
        StringWriter out = new StringWriter();
        Replay.run(List.of(plan), List.of(file), out, new PrintStream(PrintStream.nullOutputStream()));
        Set<JsonNode> replayed = new HashSet<>();
        for (String line : out.toString().split("\n")) {
            JsonNode row = FunnelRetentionTraffic.JSON.readTree(line);
            if (!row.path("name").asText().equals(metric.name())) {
                replayed.add(row);
            }
        }
        Set<JsonNode> expected = new HashSet<>(FunnelRetentionTraffic.expectedFunnel(funnel, all));
        expected.addAll(FunnelRetentionTraffic.expectedRetention(retention, all));
        assertThat(replayed).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static AnalysisPlan analysis(PipelinePlan plan, String name) {
        return plan.analyses().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    private static void produce(String topic, List<FunnelRetentionTraffic.Ev> events) {
        try (var producer = ENGINES.producer()) {
            for (int i = 0; i < events.size(); i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, FunnelRetentionTraffic.json(events.get(i))));
            }
        }
    }

    /** Two late events per partition: step 1 / cohort / metric "a" of a new actor, step 4 / return "d" of a known one. */
    private static List<Produced> produceLate(String topic, String prefix, long time, String knownActor) throws Exception {
        List<Produced> out = new ArrayList<>();
        try (var producer = ENGINES.producer()) {
            FunnelRetentionTraffic.Ev start = new FunnelRetentionTraffic.Ev(prefix + "-actor", time, "a", "ios", 0);
            FunnelRetentionTraffic.Ev ret = new FunnelRetentionTraffic.Ev(knownActor, time + 2 * HOUR, "d", "ios", 0);
            int partition = 0;
            for (FunnelRetentionTraffic.Ev e : List.of(start, ret)) {
                RecordMetadata m = producer.send(new ProducerRecord<>(topic, partition++ % 2, null, FunnelRetentionTraffic.json(e))).get();
                out.add(new Produced(e, m.partition(), m.offset()));
            }
        }
        return out;
    }

    private List<ConsumerRecord<String, String>> lateLetters(String topic) {
        return ENGINES.consume(topic).stream().filter(r -> DeadLetters.Reason.LATE.code().equals(header(r, DeadLetters.REASON))).toList();
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The metric counted independently: events "a" per hour and platform. */
    private static Map<String, Long> expectedStarts(List<FunnelRetentionTraffic.Ev> events) {
        Map<String, Long> rows = new TreeMap<>();
        for (FunnelRetentionTraffic.Ev e : events) {
            if (e.type().equals("a")) {
                rows.merge(Math.floorDiv(e.time(), HOUR) * HOUR + "|" + e.platform(), 1L, Long::sum);
            }
        }
        return rows;
    }

    private static Map<String, Long> finalStarts(String jdbc, AnalysisPlan metric) throws Exception {
        TableLayout layout = TableLayout.of(metric);
        Map<String, Long> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT window_start, " + layout.dimensionColumns().get(0) + ", value, \"final\" FROM "
                        + layout.qualifiedName())) {
            while (rs.next()) {
                assertThat(rs.getBoolean(4)).as("every metric row final").isTrue();
                rows.put(rs.getTimestamp(1).getTime() + "|" + TableLayout.dimensionValue(rs.getString(2)), (long) rs.getDouble(3));
            }
        } catch (java.sql.SQLException e) {
            return Map.of(); // the table is created with the first rows
        }
        return rows;
    }

    private static void assertRows(String jdbc, AnalysisPlan funnel, Set<JsonNode> funnelRows, AnalysisPlan retention,
            Set<JsonNode> retentionRows, AnalysisPlan metric, Map<String, Long> metricRows) throws Exception {
        assertThat(ServingRows.analysisRows(jdbc, funnel, true)).as("funnel").containsExactlyInAnyOrderElementsOf(funnelRows);
        assertThat(ServingRows.analysisRows(jdbc, retention, true)).as("retention").containsExactlyInAnyOrderElementsOf(retentionRows);
        assertThat(finalStarts(jdbc, metric)).as("metric").isEqualTo(metricRows);
    }
}
