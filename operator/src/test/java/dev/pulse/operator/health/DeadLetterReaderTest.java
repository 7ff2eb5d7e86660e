package dev.pulse.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.DeadLetters;
import dev.pulse.testsupport.ChildKafka;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter reader on a real Kafka 3.4 broker: a topic configured as the operator renders it
 * (LogAppendTime), records with the job's headers; the counts are checked against what the test
 * produced, after each batch, after a restart of the operator (a new reader) and a restart of the
 * pipeline (a new start time).
 */
class DeadLetterReaderTest {
    private static final String DLQ = DeadLetters.topic("shop-events");
    private static final String ORDERS = "Metric/growth/orders-per-minute";
    private static final String FUNNEL = "Funnel/growth/checkout";
    private static ChildKafka kafka;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = ChildKafka.start();
        try (Admin a = kafka.admin()) {
            a.createTopics(List.of(new NewTopic(DLQ, 3, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopKafka() {
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** One dead-letter record as the job writes it; returns its metadata (append time, offset). */
    private static RecordMetadata deadLetter(int dlqPartition, String reason, String analysis, int partition, long offset) throws Exception {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(DLQ, dlqPartition, null, "{\"bad\"".getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetters.REASON, reason.getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetters.PARTITION, Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetters.OFFSET, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        if (analysis != null) {
            r.headers().add(DeadLetters.ANALYSIS, analysis.getBytes(StandardCharsets.UTF_8));
        }
        return producer.send(r).get(30, TimeUnit.SECONDS);
    }

    /** What a batch of dead letters should add up to, counted by the test itself. */
    private static final class Expected {
        final Map<String, Long> malformed = new HashMap<>();
        final Map<String, Long> late = new HashMap<>();
        RecordMetadata last;
        int lastPartition;
        long lastOffset;
        String lastReason;

        void add(int dlqPartition, String reason, String analysis, int partition, long offset) throws Exception {
            RecordMetadata m = deadLetter(dlqPartition, reason, analysis, partition, offset);
            if (analysis == null) {
                malformed.merge(reason, 1L, Long::sum);
            } else {
                late.merge(analysis, 1L, Long::sum);
            }
            if (last == null || m.timestamp() >= last.timestamp()) {
                last = m;
                lastPartition = partition;
                lastOffset = offset;
                lastReason = reason;
            }
        }
    }

    private static void produceBatch(Expected e, int n, int seed) throws Exception {
        String[] reasons = {"not-json", "bad-time", "future-time", "bad-string"};
        for (int i = 0; i < n; i++) {
            int k = i + seed;
            if (k % 5 == 4) {
                e.add(k % 3, DeadLetters.Reason.LATE.code(), k % 2 == 0 ? ORDERS : FUNNEL, k % 6, 1000L + k);
            } else {
                e.add(k % 3, reasons[k % reasons.length], null, k % 6, 1000L + k);
            }
        }
        // one record appended after all others (append times have millisecond resolution): the latest
        Thread.sleep(10);
        e.add(seed % 3, "bad-number", null, 5, 99_000L + seed);
    }

    private static void assertCounts(InputReading r, Expected e) {
        assertThat(r.error()).isNull();
        assertThat(r.malformed()).isEqualTo(e.malformed);
        assertThat(r.late()).isEqualTo(e.late);
        assertThat(r.last().reason()).isEqualTo(e.lastReason);
        assertThat(r.last().at()).isEqualTo(Instant.ofEpochMilli(e.last.timestamp()));
        assertThat(r.last().partition()).isEqualTo(e.lastPartition);
        assertThat(r.last().offset()).isEqualTo(e.lastOffset);
    }

    @Test
    void countsByReasonAndAnalysisIncrementallyAndAfterRestarts() throws Exception {
        Instant pipelineStart = Instant.now().minusSeconds(1);
        LagProbeTest.TestClock clock = new LagProbeTest.TestClock();
        Expected e = new Expected();
        produceBatch(e, 40, 0);

        try (DeadLetterReader reader = new DeadLetterReader(clock, Duration.ofSeconds(20))) {
            InputReading first = reader.read("growth/shop-events", kafka.bootstrapServers(), DLQ, pipelineStart);
            assertCounts(first, e);
            assertThat(first.malformedTotal()).isEqualTo(e.malformed.values().stream().mapToLong(Long::longValue).sum());
            assertThat(first.lateTotal()).isEqualTo(8);
            assertThat(first.malformedTotal()).isEqualTo(33);
            assertThat(first.since()).isEqualTo(pipelineStart);
            assertThat(first.asOf()).isEqualTo(clock.instant());

            // nothing new: the same reading, asOf kept
            clock.advance(Duration.ofSeconds(30));
            assertThat(reader.read("growth/shop-events", kafka.bootstrapServers(), DLQ, pipelineStart)).isEqualTo(first);

            // more records: only they are added
            produceBatch(e, 25, 40);
            clock.advance(Duration.ofSeconds(30));
            InputReading second = reader.read("growth/shop-events", kafka.bootstrapServers(), DLQ, pipelineStart);
            assertCounts(second, e);
            assertThat(second.malformedTotal() + second.lateTotal()).isEqualTo(67);
            assertThat(second.asOf()).isEqualTo(clock.instant());
        }

        // the operator restarts: a new reader finds the same counts from the pipeline's start time
        try (DeadLetterReader reader = new DeadLetterReader(clock, Duration.ofSeconds(20))) {
            assertCounts(reader.read("growth/shop-events", kafka.bootstrapServers(), DLQ, pipelineStart), e);

            // the pipeline restarts: only records appended since its new start count
            Thread.sleep(20); // the broker's clock moves past the last append time
            RecordMetadata marker = deadLetter(0, "not-json", null, 0, 1);
            Instant restart = Instant.ofEpochMilli(marker.timestamp() + 1);
            while (Instant.now().toEpochMilli() <= restart.toEpochMilli()) {
                Thread.sleep(5);
            }
            Expected after = new Expected();
            produceBatch(after, 12, 7);
            InputReading rerun = reader.read("growth/shop-events", kafka.bootstrapServers(), DLQ, restart);
            assertCounts(rerun, after);
            assertThat(rerun.since()).isEqualTo(restart);
            assertThat(rerun.malformedTotal() + rerun.lateTotal()).isEqualTo(13);
        }
    }

    @Test
    void aMissingTopicIsAnErrorNotAnException() {
        try (DeadLetterReader reader = new DeadLetterReader(Clock.systemUTC(), Duration.ofSeconds(5))) {
            InputReading r = reader.read("growth/none", kafka.bootstrapServers(), "no-such-topic.dlq", Instant.EPOCH);
            assertThat(r.error()).contains("no-such-topic.dlq");
            assertThat(r.malformed()).isEmpty();
            assertThat(r.last()).isNull();
        }
    }
}
