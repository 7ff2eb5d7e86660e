package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.api.plan.DeadLetters;
import dev.pulse.api.plan.DeadLetters.Reason;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.BadRecords.Line;
import dev.pulse.pipeline.ShopEvents.ShopEvent;
import dev.pulse.pipeline.replay.Replay;
import dev.pulse.pipeline.replay.ReplaySummary;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile records (docs/bad-events.md): every malformed reason, mixed with good events and with
 * records that look bad but are fine, through {@code pulse replay} and through the streaming job on
 * Kafka, a Flink MiniCluster and PostgreSQL. The good events' rows are exact against
 * {@link ExpectedMetrics}; each bad record is a dead letter once, with its reason.
 */
class BadRecordsTest {
    private static final long HOUR = 3_600_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @RegisterExtension
    static final StreamingEngines ENGINES = new StreamingEngines();

    @TempDir
    Path dir;

    @Test
    void theLinesCoverEveryMalformedReason() {
        Set<Reason> covered = BadRecords.lines().stream().filter(Line::malformed).map(Line::reason).collect(Collectors.toSet());
        Set<Reason> malformed = EnumSet.allOf(Reason.class);
        malformed.remove(Reason.LATE);
        assertThat(covered).isEqualTo(malformed);
    }

    @Test
    void replayCountsOnlyGoodEventsAndWritesEachBadLineWithItsReason() throws Exception {
        PipelinePlan plan = TestPlans.compile(BadRecords.DEFINITIONS);
        List<Line> input = BadRecords.mixed(ShopEvents.generate(31, 2000, 120, 4000), 50, 120);
        Path file = Files.write(dir.resolve("hostile.jsonl"), input.stream().map(Line::json).toList());

        StringWriter out = new StringWriter();
        StringWriter deadLetters = new StringWriter();
        ReplaySummary summary = Replay.run(List.of(plan), List.of(file), out, new PrintStream(PrintStream.nullOutputStream()), deadLetters);

        List<ShopEvent> counted = BadRecords.counted(input);
        assertThat(summary.events()).isEqualTo(counted.size());
        ExpectedMetrics.assertSameRows(ExpectedMetrics.compute(counted), ExpectedMetrics.parse(out.toString()));

        Map<Long, JsonNode> byLine = new HashMap<>();
        for (String l : deadLetters.toString().split("\n")) {
            JsonNode n = JSON.readTree(l);
            assertThat(byLine.put(n.get("line").asLong(), n)).as("line %s written once", n.get("line")).isNull();
        }
        Map<Long, Line> expected = new HashMap<>();
        for (int i = 0; i < input.size(); i++) {
            if (input.get(i).malformed()) {
                expected.put(i + 1L, input.get(i));
            }
        }
        assertThat(byLine.keySet()).isEqualTo(expected.keySet());
        expected.forEach((line, l) -> {
            JsonNode n = byLine.get(line);
            assertThat(n.get("reason").asText()).as("line %d: %s", line, l.json()).isEqualTo(l.reason().code());
            assertThat(n.get("detail").asText()).isNotBlank();
            assertThat(n.get("file").asText()).isEqualTo(file.toString());
            assertThat(n.get("stream").asText()).isEqualTo("growth/shop-events");
            assertThat(n.get("record").asText()).isEqualTo(l.json());
        });
    }

    @Test
    void streamingNeverRestartsCountsOnlyGoodEventsAndSendsEachBadRecordToTheDeadLetterTopicOnce() throws Exception {
        String topic = "shop-events-hostile";
        String dlq = DeadLetters.topic(topic);
        PipelinePlan plan = TestPlans.compile(BadRecords.DEFINITIONS.replace("topic: shop-events,", "topic: " + topic + ","));
        String jdbc = ENGINES.database("hostile");
        ENGINES.createTopic(topic, StreamingEngines.PARTITIONS);
        ENGINES.createTopic(dlq, 1);
        ENGINES.createTopic("growth.orders-by-platform.results", 1);

        List<ShopEvent> events = ShopEvents.generate(37, 2000, 120, 4000);
        List<Line> input = BadRecords.mixed(events, 50, 120);
        // each record's Kafka timestamp is its event time (the ahead lines: 50 minutes less), good
        // events round-robin over the partitions, the other lines alternate; the bad ones keyed.
        // In two parts: the second after the job has moved its watermark past the ahead lines, so
        // that a watermark that followed their event time would make the second part late. The
        // window ending at `at` is final once the watermark is 10 s past it: both partitions have
        // then passed the ahead lines (each is followed on its partition by later events).
        long at = ShopEvents.T0 + (events.size() * 3 / 4) * 120L;
        ShopEvent firstOfPart2 = events.get(events.size() * 3 / 4 + 300);
        int split = input.indexOf(input.stream().filter(l -> l.event() == firstOfPart2).findFirst().orElseThrow());
        Producing producing = new Producing(topic);
        producing.send(input.subList(0, split));

        StreamExecutionEnvironment env = StreamingEngines.environment(false); // no restarts: a failure fails the test
        PipelineJob.define(env, plan, ENGINES.settings(jdbc, dlq));
        JobClient job = env.executeAsync("streaming hostile");
        try {
            StreamingEngines.await("a final row after the ahead lines", () -> ServingRows.read(jdbc, plan).values().stream()
                    .anyMatch(r -> r.isFinal() && r.row().name().equals("orders-by-platform") && r.row().end() >= at)
                    || job.getJobStatus().get().isGloballyTerminalState());
            producing.send(input.subList(split, input.size()));
            ENGINES.heartbeat(topic, ShopEvents.T0 + 2 * HOUR);

            Map<String, ExpectedMetrics.Row> expected = ExpectedMetrics.compute(BadRecords.counted(input));
            StreamingEngines.await("final rows", () -> ServingRows.finalCount(jdbc, plan) == expected.size()
                    || job.getJobStatus().get().isGloballyTerminalState());
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            Map<String, ServingRows.Stored> stored = ServingRows.read(jdbc, plan);
            assertThat(stored.values()).allMatch(ServingRows.Stored::isFinal);
            ExpectedMetrics.assertSameRows(expected, ServingRows.rowsOf(stored));

            List<ConsumerRecord<String, String>> letters = new ArrayList<>();
            StreamingEngines.await("dead letters", () -> {
                letters.clear();
                letters.addAll(ENGINES.consume(dlq));
                return letters.size() >= producing.badByKey.size();
            });
            assertThat(letters).hasSize(producing.badByKey.size());
            assertThat(letters.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).isEqualTo(producing.badByKey.keySet());
            for (ConsumerRecord<String, String> r : letters) {
                Line l = producing.badByKey.get(r.key());
                RecordMetadata sent = producing.sentBad.get(r.key());
                assertThat(r.value()).as(r.key()).isEqualTo(l.json());
                assertThat(header(r, DeadLetters.REASON)).as("%s: %s", r.key(), l.json()).isEqualTo(l.reason().code());
                assertThat(header(r, DeadLetters.PARTITION)).isEqualTo(Integer.toString(sent.partition()));
                assertThat(header(r, DeadLetters.OFFSET)).isEqualTo(Long.toString(sent.offset()));
            }
            assertThat(job.getJobStatus().get()).as("the job never failed").isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    /** Sends lines as the streaming test describes, remembering where each bad one went. */
    private static final class Producing {
        final String topic;
        final Map<String, RecordMetadata> sentBad = new HashMap<>();
        final Map<String, Line> badByKey = new HashMap<>();
        long lastTs = ShopEvents.T0;
        int good;
        int other;

        Producing(String topic) {
            this.topic = topic;
        }

        void send(List<Line> lines) throws Exception {
            try (KafkaProducer<String, String> p = ENGINES.producer()) {
                for (Line l : lines) {
                    if (l.malformed()) {
                        String key = "bad-" + badByKey.size();
                        badByKey.put(key, l);
                        sentBad.put(key, p.send(new ProducerRecord<>(topic, other++ % StreamingEngines.PARTITIONS, lastTs, key, l.json())).get());
                    } else if (l.aheadMs() == 0 && l.json().equals(l.event().json())) {
                        lastTs = l.event().ts();
                        p.send(new ProducerRecord<>(topic, good++ % StreamingEngines.PARTITIONS, lastTs, null, l.json()));
                    } else {
                        p.send(new ProducerRecord<>(topic, other++ % StreamingEngines.PARTITIONS, l.event().ts() - l.aheadMs(), null, l.json()));
                    }
                }
            }
        }
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
