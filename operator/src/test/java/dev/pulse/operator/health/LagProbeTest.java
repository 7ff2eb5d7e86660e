package dev.pulse.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testsupport.ChildKafka;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lag probe on a real Kafka 3.4 broker: lag grows while nothing consumes, and falls as a
 * consumer of the pipeline's group commits. The probe's clock moves 30 s per round (the probe
 * interval), so lag in seconds is exact.
 */
class LagProbeTest {
    private static final String TOPIC = "shop-events";
    private static final String GROUP = "pulse.growth.shop-events";
    private static ChildKafka kafka;

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-03-01T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = ChildKafka.start();
        try (Admin a = kafka.admin()) {
            a.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static void produce(int n) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "u" + i, "{\"event\":\"purchase\"}"));
            }
            producer.flush();
        }
    }

    /** Consumes up to {@code n} records as the pipeline's group and commits them. */
    private static void consumeAndCommit(int n) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(n));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            // assigned, not subscribed: commits as the group without waiting for a rebalance
            consumer.assign(List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1), new TopicPartition(TOPIC, 2)));
            int seen = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (seen < n && System.currentTimeMillis() < deadline) {
                seen += consumer.poll(Duration.ofMillis(500)).count();
                consumer.commitSync();
            }
        }
    }

    @Test
    void lagGrowsWhileNothingConsumesAndFallsAsTheGroupCommits() {
        TestClock clock = new TestClock();
        try (LagProbe probe = new LagProbe(clock, Duration.ofSeconds(10))) {
            produce(300);
            consumeAndCommit(300); // the pipeline is at the end...
            LagReading caughtUp = probe.probe(kafka.bootstrapServers(), TOPIC, List.of(GROUP)).get(GROUP);
            assertThat(caughtUp.error()).isNull();
            assertThat(caughtUp.committed()).isTrue();
            assertThat(caughtUp.records()).isZero();
            assertThat(caughtUp.seconds()).isZero();

            // ...then stops: three rounds of 30 s with 200 new events each
            long previous = 0;
            for (int round = 1; round <= 3; round++) {
                produce(200);
                clock.advance(Duration.ofSeconds(30));
                LagReading r = probe.probe(kafka.bootstrapServers(), TOPIC, List.of(GROUP)).get(GROUP);
                assertThat(r.records()).isEqualTo(200L * round);
                assertThat(r.seconds()).as("round " + round).isGreaterThan(previous);
                previous = r.seconds();
            }
            // the first unread records arrived between the first two rounds: 60 to 90 s ago
            assertThat(previous).isBetween(60L, 90L);

            // the pipeline catches up part of the way
            consumeAndCommit(300);
            clock.advance(Duration.ofSeconds(30));
            LagReading catchingUp = probe.probe(kafka.bootstrapServers(), TOPIC, List.of(GROUP)).get(GROUP);
            assertThat(catchingUp.records()).isLessThan(600L);
            consumeAndCommit(300);
            clock.advance(Duration.ofSeconds(30));
            LagReading done = probe.probe(kafka.bootstrapServers(), TOPIC, List.of(GROUP)).get(GROUP);
            assertThat(done.records()).isZero();
            assertThat(done.seconds()).isZero();
        }
    }

    @Test
    void aGroupThatNeverCommittedCountsFromTheStartAndAMissingTopicIsAnError() {
        TestClock clock = new TestClock();
        try (LagProbe probe = new LagProbe(clock, Duration.ofSeconds(10))) {
            Map<String, LagReading> r = probe.probe(kafka.bootstrapServers(), TOPIC, List.of("pulse.growth.never-started"));
            LagReading never = r.get("pulse.growth.never-started");
            assertThat(never.committed()).isFalse();
            assertThat(never.records()).isGreaterThan(0L);

            LagReading missing = probe.probe(kafka.bootstrapServers(), "no-such-topic", List.of(GROUP)).get(GROUP);
            assertThat(missing.known()).isFalse();
            assertThat(missing.error()).contains("no-such-topic");
        }
    }
}
