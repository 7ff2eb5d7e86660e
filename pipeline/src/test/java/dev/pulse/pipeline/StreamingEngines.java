package dev.pulse.pipeline;

import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.ShopEvents.ShopEvent;
import dev.pulse.testsupport.EmbeddedKafka;
import dev.pulse.testsupport.PostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The engines of a streaming test class, its own: an in-JVM Kafka broker and an embedded PostgreSQL,
 * started before the class's tests and stopped after them ({@code @RegisterExtension static}), and
 * what the tests do with them (topics, databases, producing, consuming, the job's settings).
 */
final class StreamingEngines implements BeforeAllCallback, AfterAllCallback {
    static final int PARTITIONS = 2;

    private final PostgresExtension postgres = PostgresExtension.perClass();
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka = EmbeddedKafka.start();
        postgres.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            postgres.afterAll(context);
        }
    }

    void createTopic(String name, int partitions) throws Exception {
        kafka.createTopic(name, partitions);
    }

    /** A new database; its JDBC URL. */
    String database(String name) throws Exception {
        try (Connection c = postgres.freshDatabase(name)) {
            return postgres.jdbcUrl(name);
        }
    }

    PipelineSettings settings(String jdbc, String deadLetterTopic) {
        return new PipelineSettings(Path.of("plan.json"), kafka.bootstrapServers(), jdbc, null, null, true, 500, 100, 500, deadLetterTopic, false);
    }

    /** Events round-robin over the partitions; malformed lines mixed in when asked. */
    void produce(String topic, List<ShopEvent> events, boolean withMalformed) {
        try (KafkaProducer<String, String> p = producer()) {
            for (int i = 0; i < events.size(); i++) {
                p.send(new ProducerRecord<>(topic, i % PARTITIONS, null, events.get(i).json()));
                if (withMalformed && i % 400 == 0 && i / 400 < ShopEvents.MALFORMED.size()) {
                    p.send(new ProducerRecord<>(topic, i % PARTITIONS, null, ShopEvents.MALFORMED.get(i / 400)));
                }
            }
        }
    }

    /** An event that no metric takes, on every partition, to move the watermark to {@code ts}. */
    void heartbeat(String topic, long ts) {
        try (KafkaProducer<String, String> p = producer()) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                p.send(new ProducerRecord<>(topic, partition, null, "{\"event\":\"heartbeat\",\"ts\":" + ts + "}"));
            }
        }
    }

    KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    List<ConsumerRecord<String, String>> consume(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic + "-" + System.nanoTime());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long idleUntil = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < idleUntil) {
                var batch = c.poll(Duration.ofMillis(300));
                batch.forEach(records::add);
                if (!batch.isEmpty()) {
                    idleUntil = System.currentTimeMillis() + 1_500;
                }
            }
        }
        return records;
    }

    /** The test stream's definitions (ShopEvents) over another topic. */
    static PipelinePlan plan(String topic) {
        return TestPlans.compile(ShopEvents.DEFINITIONS.replace("topic: shop-events,", "topic: " + topic + ","));
    }

    /** A streaming environment without generic types, checkpointing every 500 ms, with or without restarts. */
    static StreamExecutionEnvironment environment(boolean restarts) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        if (restarts) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARTITIONS);
        env.enableCheckpointing(500);
        return env;
    }

    /** Waits for the condition for at most three minutes. */
    static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(condition);
    }
}
