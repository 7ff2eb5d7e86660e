package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.ShopEvents.ShopEvent;
import dev.pulse.testsupport.Checkout;
import dev.pulse.testsupport.EmbeddedKafka;
import dev.pulse.testsupport.PostgresExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
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

    /** The broker, for tests that stop and restart it. */
    EmbeddedKafka kafka() {
        return kafka;
    }

    /** The port PostgreSQL listens on (localhost), for tests that put a proxy in front of it. */
    int postgresPort() {
        return postgres.postgres().getPort();
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

    /** JSON lines round-robin over the partitions, in order. */
    void produceLines(String topic, List<String> lines) {
        try (KafkaProducer<String, String> p = producer()) {
            for (int i = 0; i < lines.size(); i++) {
                p.send(new ProducerRecord<>(topic, i % PARTITIONS, null, lines.get(i)));
            }
        }
    }

    /** Partition to end offset (the next offset written), as the operator reads it to pin a hand-over. */
    Map<Integer, Long> endOffsets(String topic) {
        try (KafkaConsumer<String, String> c = consumer("test-offsets-" + System.nanoTime())) {
            Map<Integer, Long> offsets = new TreeMap<>();
            c.endOffsets(partitions(topic)).forEach((tp, offset) -> offsets.put(tp.partition(), offset));
            return offsets;
        }
    }

    /** Partition to the offset the consumer group committed (partitions it has not committed: absent). */
    Map<Integer, Long> committed(String group, String topic) {
        try (KafkaConsumer<String, String> c = consumer(group)) {
            Map<Integer, Long> offsets = new TreeMap<>();
            c.committed(Set.copyOf(partitions(topic))).forEach((tp, o) -> {
                if (o != null) {
                    offsets.put(tp.partition(), o.offset());
                }
            });
            return offsets;
        }
    }

    /** Commits offsets for a consumer group, as a job that read up to there would have. */
    void commit(String group, String topic, Map<Integer, Long> offsets) {
        try (KafkaConsumer<String, String> c = consumer(group)) {
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            offsets.forEach((partition, offset) -> commit.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)));
            c.commitSync(commit);
        }
    }

    private static List<TopicPartition> partitions(String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        return partitions;
    }

    private KafkaConsumer<String, String> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
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
        return environment(restarts, null);
    }

    /**
     * The same, restoring from a savepoint (or null) with the restore settings the operator renders
     * ({@link #renderedRestoreSettings()}).
     */
    static StreamExecutionEnvironment environment(boolean restarts, String savepoint) {
        Configuration conf = new Configuration();
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            conf.addAll(renderedRestoreSettings());
        }
        if (restarts) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        return environment(conf);
    }

    /** A streaming environment that restarts as the operator's rendered pipelines do ({@link #renderedRestartStrategy()}). */
    static StreamExecutionEnvironment renderedRestartsEnvironment() {
        return environment(renderedRestartStrategy());
    }

    private static StreamExecutionEnvironment environment(Configuration conf) {
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARTITIONS);
        env.enableCheckpointing(500);
        return env;
    }

    /** Waits for the condition for at most three minutes. */
    static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(condition);
    }

    /** Waits for the assertions to pass for at most three minutes; fails with the last failure. */
    static void awaitAsserted(String what, ThrowingRunnable assertions) {
        Awaitility.await(what).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(assertions);
    }

    /**
     * Waits for the condition, running {@code keepAlive} every two seconds, then lets the caller's
     * assertions say what is wrong if it never held.
     */
    static void awaitQuietly(JobClient job, Callable<Boolean> condition, Runnable keepAlive) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        long nextKeepAlive = System.currentTimeMillis() + 2_000;
        while (!condition.call() && System.currentTimeMillis() < deadline) {
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("the job ended: " + job.getJobStatus().get()).isFalse();
            if (System.currentTimeMillis() >= nextKeepAlive) {
                keepAlive.run();
                nextKeepAlive = System.currentTimeMillis() + 2_000;
            }
            Thread.sleep(250);
        }
    }

    /** A FlinkDeployment as the operator renders it (RenderedResourcesTest keeps it current). */
    static final Path RENDERED = Path.of("operator/src/test/resources/golden/out-shop.yaml");

    /**
     * The restore settings the Flink Kubernetes Operator derives from the FlinkDeployments the
     * operator renders ({@link #RENDERED}): {@code spec.job.allowNonRestoredState}, when set,
     * becomes {@code execution.savepoint.ignore-unclaimed-state}; unset, Flink's default (false) holds.
     */
    static Configuration renderedRestoreSettings() {
        Configuration conf = new Configuration();
        for (JsonNode job : renderedJobs()) {
            JsonNode allow = job.path("allowNonRestoredState");
            assertThat(allow.isMissingNode() || allow.isBoolean()).as("spec.job.allowNonRestoredState is a boolean: %s", allow).isTrue();
            if (allow.isBoolean()) {
                conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, allow.booleanValue());
            }
        }
        return conf;
    }

    /**
     * The restart strategy of the FlinkDeployments the operator renders ({@link #RENDERED}): every
     * {@code restart-strategy*} key of {@code spec.flinkConfiguration}; Flink's defaults for the rest.
     */
    static Configuration renderedRestartStrategy() {
        Map<String, String> restart = new TreeMap<>();
        for (JsonNode deployment : renderedDeployments()) {
            Map<String, String> own = new TreeMap<>();
            deployment.path("spec").path("flinkConfiguration").fields().forEachRemaining(e -> {
                if (e.getKey().startsWith("restart-strategy")) {
                    own.put(e.getKey(), e.getValue().asText());
                }
            });
            assertThat(own).as("every rendered pipeline restarts alike").isNotEmpty();
            if (!restart.isEmpty()) {
                assertThat(own).as("every rendered pipeline restarts alike").isEqualTo(restart);
            }
            restart.putAll(own);
        }
        return Configuration.fromMap(restart);
    }

    /** spec.job of every FlinkDeployment in the rendered golden file; every one must agree. */
    private static List<JsonNode> renderedJobs() {
        List<JsonNode> jobs = renderedDeployments().stream().map(d -> d.path("spec").path("job")).toList();
        assertThat(jobs.stream().map(j -> j.path("allowNonRestoredState").toString()).distinct())
                .as("every rendered pipeline restores alike").hasSize(1);
        return jobs;
    }

    /** Every FlinkDeployment in the rendered golden file. */
    private static List<JsonNode> renderedDeployments() {
        Path file = Checkout.root().resolve(RENDERED);
        List<JsonNode> deployments = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var docs = yaml.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && "FlinkDeployment".equals(doc.path("kind").asText())) {
                    deployments.add(doc);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read the rendered FlinkDeployments in " + file, e);
        }
        assertThat(deployments).as("FlinkDeployments in %s", file).isNotEmpty();
        return deployments;
    }
}
