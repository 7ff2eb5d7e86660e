package dev.pulse.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.serving.Catalog;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.funnel.Funnel;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.api.v1alpha1.retention.Retention;
import dev.pulse.operator.FlinkOperatorStatus;
import dev.pulse.operator.InstalledPlatform;
import dev.pulse.operator.health.KafkaAndPostgres;
import dev.pulse.render.Labels;
import dev.pulse.render.TopicRenderer;
import dev.pulse.testsupport.ConflictRetry;
import dev.pulse.testsupport.OwnerGarbageCollector;
import dev.pulse.testsupport.PostgresExtension;
import dev.pulse.testsupport.StandInReport;
import dev.pulse.testsupport.TopicController;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deleting each kind under each {@code deletionPolicy}, with the operator running against the
 * in-memory Kubernetes API, a real Kafka broker and a real PostgreSQL, and the stand-ins of
 * Strimzi's topic operator and Kubernetes' garbage collector: what remains in Kafka (topics, their
 * records, their configuration), in PostgreSQL (the analyses' tables and catalog rows) and in
 * Kubernetes (KafkaTopics, their annotation and owner references, the pipeline's objects). Also:
 * a stream naming a topic that exists already is refused unless external, and an external topic is
 * never changed or deleted.
 */
@QuarkusTest
@TestProfile(DeletionPolicyTest.TalksToKafka.class)
@QuarkusTestResource(value = KafkaAndPostgres.class, restrictToAnnotatedClass = true)
@WithKubernetesTestServer(crud = true, setup = InstalledPlatform.class)
class DeletionPolicyTest {
    /** The operator talks to Kafka (probes on): it can tell whether a stream's topic exists already. */
    public static class TalksToKafka implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pulse.probes.enabled", "true", "pulse.probes.interval", "1s", "pulse.probes.timeout", "5s");
        }
    }

    private static final String STREAM = """
            apiVersion: pulse.dev/v1alpha1
            kind: EventStream
            metadata: {name: shop-events}
            spec:
              kafka: {cluster: analytics, topic: TOPIC, partitions: 2}
              eventTypeField: event
              actorField: user_id
              timestamp: {field: ts, format: epochMillis}
              fields:
                - {name: platform, type: string}
            """;

    private static final String METRIC = """
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: orders}
            spec:
              stream: shop-events
              events: [purchase]
              aggregation: {type: count}
              window: {type: tumbling, size: 1m}
              outputTopic: true
            """;

    private static final String FUNNEL = """
            apiVersion: pulse.dev/v1alpha1
            kind: Funnel
            metadata: {name: checkout}
            spec:
              stream: shop-events
              steps:
                - {name: viewed, events: [product_view]}
                - {name: bought, events: [purchase]}
              conversionWindow: 30m
              window: {type: tumbling, size: 1h}
            """;

    private static final String RETENTION = """
            apiVersion: pulse.dev/v1alpha1
            kind: Retention
            metadata: {name: buyers}
            spec:
              stream: shop-events
              cohort: {events: [signup]}
              return: {events: [purchase]}
              period: 1d
              periods: 3
            """;

    private static final List<Class<? extends HasMetadata>> ANALYSES = List.of(Metric.class, Funnel.class, Retention.class);
    private static final Map<Class<? extends HasMetadata>, String> NAMES = Map.of(Metric.class, "orders", Funnel.class, "checkout",
            Retention.class, "buyers");

    @Inject
    KubernetesClient client;

    static TopicController strimzi;
    static OwnerGarbageCollector gc;

    @BeforeAll
    static void standIns() {
        KubernetesClient api = io.quarkus.arc.Arc.container().instance(KubernetesClient.class).get();
        strimzi = new TopicController(api, KafkaAndPostgres.kafka().bootstrapServers(), StandInReport.SILENT).start();
        List<ResourceDefinitionContext> owners = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : List.of(EventStream.class, Metric.class, Funnel.class, Retention.class)) {
            owners.add(ResourceDefinitionContext.fromResourceType(kind));
        }
        gc = new OwnerGarbageCollector(api, owners, List.of(ResourceDefinitionContext.fromResourceType(KafkaTopic.class),
                ResourceDefinitionContext.fromResourceType(FlinkDeployment.class)), StandInReport.SILENT).start();
    }

    @AfterAll
    static void stopStandIns() {
        strimzi.close();
        gc.close();
    }

    /**
     * Retain (the default): a deleted analysis's tables are retired, not dropped, and its result topic
     * is released; a deleted stream's pipeline goes, its input and dead-letter topics are released
     * with their records; the same stream applied again takes its topics back.
     */
    @Test
    void retainKeepsTopicsWithTheirRecordsAndRetiresTables() throws Exception {
        String ns = "retain";
        String topic = "retain-events";
        start(ns, STREAM.replace("TOPIC", topic), "");
        produce(topic, 3);

        // a topic an earlier Pulse release made carries an owner reference: the operator takes it off
        EventStream stream = client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get();
        // the Strimzi stand-in writes the topic's status meanwhile: retry on a conflict
        ConflictRetry.edit(client.resources(KafkaTopic.class).inNamespace(ns).withName(topic), t -> t.addOwnerReference(stream));
        eventually().until(() -> topic(ns, topic).map(t -> t.getMetadata().getOwnerReferences() == null
                || t.getMetadata().getOwnerReferences().isEmpty()).orElse(false));

        for (Class<? extends HasMetadata> kind : ANALYSES) {
            delete(ns, kind, NAMES.get(kind));
            assertThat(catalog(ns, kind.getSimpleName(), NAMES.get(kind))).as(kind.getSimpleName()).isNotEmpty()
                    .allSatisfy((table, status) -> {
                        assertThat(status).isEqualTo(Catalog.RETIRED);
                        assertThat(tableExists(table)).as(table).isTrue();
                    });
        }
        delete(ns, EventStream.class, "shop-events");
        // the garbage collector has acted on both deletions (one worker, in order): the pipeline's objects are gone
        eventually().until(() -> client.resources(FlinkDeployment.class).inNamespace(ns).list().getItems().isEmpty()
                && client.configMaps().inNamespace(ns).withName("shop-events-pipeline-plan").get() == null);
        assertReleased(topic(ns, ns + ".orders.results").orElseThrow());
        assertReleased(topic(ns, topic).orElseThrow());
        assertReleased(topic(ns, topic + ".dlq").orElseThrow());
        assertThat(kafkaTopics()).contains(topic, topic + ".dlq", ns + ".orders.results");
        assertThat(records(topic)).isEqualTo(3);

        // applied again: the stream takes its released topics back (managed again, owned again)
        create(ns, EventStream.class, STREAM.replace("TOPIC", topic));
        eventually().until(() -> topic(ns, topic).map(t -> "true".equals(t.getMetadata().getAnnotations().get(TopicRenderer.STRIMZI_MANAGED)))
                .orElse(false) && topic(ns, topic + ".dlq").map(t -> !TopicOwner.released(t)).orElse(false));
        EventStream again = eventually().until(() -> client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get(),
                s -> "True".equals(condition(s, Condition.VALID)));
        assertThat(topic(ns, topic).orElseThrow().getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(again.getStatus().condition(Condition.READY).orElseThrow().getReason()).isNotEqualTo("InvalidSpec");
        assertThat(records(topic)).isEqualTo(3);
    }

    /**
     * Delete: an analysis's tables are dropped only once no job writes them (the Flink operator runs
     * the plan without it), and its result topic is deleted; a deleted stream's input and
     * dead-letter topics are deleted in Kafka.
     */
    @Test
    void deleteDropsTablesOnceNoJobWritesThemAndDeletesTopics() throws Exception {
        String ns = "delete";
        String topic = "delete-events";
        String policy = "  deletionPolicy: Delete\n";
        start(ns, STREAM.replace("TOPIC", topic) + policy, policy);
        PipelinePlan before = plan(ns).orElseThrow();
        new FlinkOperatorStatus(client).reconciled(ns, "shop-events-pipeline", "STABLE", "RUNNING");
        Map<String, String> metricTables = catalog(ns, "Metric", "orders");

        // the plan without the Metric is rolled out, but the job still runs the old one: nothing dropped yet
        FlinkDeployment running = client.resources(FlinkDeployment.class).inNamespace(ns).withName("shop-events-pipeline").get();
        client.resources(Metric.class).inNamespace(ns).withName("orders").delete();
        eventually().until(() -> plan(ns).filter(p -> !p.jobHash().equals(before.jobHash())).isPresent());
        eventually().until(() -> annotatedPlan(ns).equals(plan(ns).orElseThrow().jobHash()));
        new FlinkOperatorStatus(client).reconciledEarlier(running, "STABLE", "RUNNING");
        Thread.sleep(2000);
        assertThat(client.resources(Metric.class).inNamespace(ns).withName("orders").get()).isNotNull();
        assertThat(metricTables.keySet()).allSatisfy(t -> assertThat(tableExists(t)).as(t).isTrue());

        // the Flink operator runs the new plan: the Metric's tables are dropped, its result topic deleted, and it is gone
        new FlinkOperatorStatus(client).reconciled(ns, "shop-events-pipeline", "STABLE", "RUNNING");
        eventually().until(() -> client.resources(Metric.class).inNamespace(ns).withName("orders").get() == null);
        assertThat(metricTables.keySet()).isNotEmpty().allSatisfy(t -> assertThat(tableExists(t)).as(t).isFalse());
        assertThat(catalog(ns, "Metric", "orders")).isNotEmpty().containsValues(Catalog.DROPPED).doesNotContainValue(Catalog.ACTIVE);
        assertThat(topic(ns, ns + ".orders.results")).isEmpty();
        eventually().until(() -> !kafkaTopics().contains(ns + ".orders.results"));

        for (Class<? extends HasMetadata> kind : List.of(Funnel.class, Retention.class)) {
            Map<String, String> tables = catalog(ns, kind.getSimpleName(), NAMES.get(kind));
            client.resources(kind).inNamespace(ns).withName(NAMES.get(kind)).delete();
            // each deletion rolls out a new plan; the Flink operator runs it
            eventually().until(() -> annotatedPlan(ns).equals(plan(ns).orElseThrow().jobHash())
                    && plan(ns).orElseThrow().analyses().stream().noneMatch(a -> a.name().equals(NAMES.get(kind))));
            new FlinkOperatorStatus(client).reconciled(ns, "shop-events-pipeline", "STABLE", "RUNNING");
            eventually().until(() -> client.resources(kind).inNamespace(ns).withName(NAMES.get(kind)).get() == null);
            assertThat(tables.keySet()).as(kind.getSimpleName()).isNotEmpty().allSatisfy(t -> assertThat(tableExists(t)).as(t).isFalse());
        }

        delete(ns, EventStream.class, "shop-events");
        eventually().until(() -> topic(ns, topic).isEmpty() && topic(ns, topic + ".dlq").isEmpty());
        eventually().until(() -> !kafkaTopics().contains(topic) && !kafkaTopics().contains(topic + ".dlq"));
    }

    /**
     * A topic that exists in Kafka, or that a KafkaTopic Pulse did not create manages, is refused
     * without {@code kafka.external}, naming the field; external, it is read and its configuration
     * is never changed, and deleting the stream with deletionPolicy Delete leaves it.
     */
    @Test
    void anExistingTopicNeedsExternalAndIsNeverChangedOrDeleted() throws Exception {
        String ns = "existing";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        String topic = "existing-events";
        try (Admin admin = KafkaAndPostgres.kafka().admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of("retention.ms", "1234567")))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        produce(topic, 2);
        create(ns, EventStream.class, STREAM.replace("TOPIC", topic) + "  deletionPolicy: Delete\n");
        EventStream refused = eventually().until(() -> client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get(),
                s -> "False".equals(condition(s, Condition.READY)));
        String message = refused.getStatus().condition(Condition.READY).orElseThrow().getMessage();
        assertThat(condition(refused, Condition.VALID)).isEqualTo("False");
        assertThat(refused.getStatus().condition(Condition.READY).orElseThrow().getReason()).isEqualTo("InvalidSpec");
        assertThat(message).contains("spec.kafka.topic", "'" + topic + "' already exists in Kafka", "spec.kafka.external: true");
        assertThat(client.resources(KafkaTopic.class).inNamespace(ns).list().getItems()).isEmpty();

        // a KafkaTopic someone else made for another topic name is refused the same way
        client.resource(new KafkaTopicBuilder().withNewMetadata().withName("hand-made").withNamespace(ns).endMetadata()
                .withNewSpec().withTopicName("hand-made").withPartitions(1).withReplicas(1).endSpec().build()).create();
        create(ns, EventStream.class, STREAM.replace("shop-events", "other-events").replace("TOPIC", "hand-made"));
        EventStream other = eventually().until(() -> client.resources(EventStream.class).inNamespace(ns).withName("other-events").get(),
                s -> "False".equals(condition(s, Condition.VALID)));
        assertThat(other.getStatus().condition(Condition.VALID).orElseThrow().getMessage())
                .contains("spec.kafka.topic", "KafkaTopic 'hand-made'", "spec.kafka.external: true");

        // external: read, not managed; only the dead-letter topic is Pulse's
        client.resources(EventStream.class).inNamespace(ns).withName("shop-events")
                .edit(s -> {
                    s.getSpec().getKafka().setExternal(true);
                    return s;
                });
        eventually().until(() -> client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get(),
                s -> !"False".equals(condition(s, Condition.VALID)) && topic(ns, topic + ".dlq").isPresent());
        assertThat(topic(ns, topic)).isEmpty();
        eventually().until(() -> kafkaTopics().contains(topic + ".dlq"));

        delete(ns, EventStream.class, "shop-events");
        eventually().until(() -> !kafkaTopics().contains(topic + ".dlq"));
        assertThat(kafkaTopics()).contains(topic);
        assertThat(retentionMs(topic)).isEqualTo("1234567");
        assertThat(records(topic)).isEqualTo(2);
    }

    // --- the fixture

    /** A namespace with the stream and one analysis of each kind, their plan rolled out and their tables created. */
    private void start(String ns, String stream, String analysisPolicy) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        create(ns, EventStream.class, stream);
        create(ns, Metric.class, METRIC + analysisPolicy);
        create(ns, Funnel.class, FUNNEL + analysisPolicy);
        create(ns, Retention.class, RETENTION + analysisPolicy);
        eventually().until(() -> plan(ns).filter(p -> p.analyses().size() == 3).isPresent());
        String topic = client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get().getSpec().getKafka().getTopic();
        eventually().until(() -> kafkaTopics().containsAll(Set.of(topic, topic + ".dlq", ns + ".orders.results")));
        for (Class<? extends HasMetadata> kind : ANALYSES) {
            eventually().until(() -> catalog(ns, kind.getSimpleName(), NAMES.get(kind)), m -> !m.isEmpty()
                    && m.values().stream().allMatch(Catalog.ACTIVE::equals) && m.keySet().stream().allMatch(DeletionPolicyTest::tableExists));
        }
        // no owner reference: the garbage collector never deletes a topic, only the deletionPolicy does
        KafkaTopic input = topic(ns, topic).orElseThrow();
        assertThat(input.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(input.getMetadata().getLabels()).containsEntry(Labels.STREAM, "shop-events");
        EventStream s = client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get();
        assertThat(s.getMetadata().getFinalizers()).as("JOSDK's finalizer").isNotEmpty();
        // the pipelines log in as the namespace's own role, from the Secret the operator wrote there; the owner's stays out
        Secret login = client.secrets().inNamespace(ns).withName("pulse-pipeline-db").get();
        assertThat(login).as("the namespace's database Secret").isNotNull();
        assertThat(new String(Base64.getDecoder().decode(login.getData().get("PULSE_JDBC_USER")), StandardCharsets.UTF_8))
                .isEqualTo("pulse_writer_" + ns);
        assertThat(client.secrets().inNamespace(ns).list().getItems()).extracting(x -> x.getMetadata().getName())
                .containsExactly("pulse-pipeline-db");
        eventually().until(() -> !client.resources(FlinkDeployment.class).inNamespace(ns).list().getItems().isEmpty());
        for (FlinkDeployment fd : client.resources(FlinkDeployment.class).inNamespace(ns).list().getItems()) {
            assertThat(fd.getSpec().getPodTemplate().getSpec().getContainers().get(0).getEnvFrom())
                    .extracting(e -> e.getSecretRef().getName()).containsExactly("pulse-pipeline-db");
        }
    }

    private void assertReleased(KafkaTopic t) {
        assertThat(t.getMetadata().getAnnotations()).containsEntry(TopicRenderer.STRIMZI_MANAGED, "false");
        assertThat(t.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(t.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.OPERATOR);
    }

    private <T extends HasMetadata> void delete(String ns, Class<T> kind, String name) {
        client.resources(kind).inNamespace(ns).withName(name).delete();
        eventually().until(() -> client.resources(kind).inNamespace(ns).withName(name).get() == null);
    }

    private <T extends HasMetadata> void create(String ns, Class<T> type, String yaml) {
        T resource = client.getKubernetesSerialization().unmarshal(yaml, type);
        resource.getMetadata().setNamespace(ns);
        client.resource(resource).create();
    }

    private Optional<KafkaTopic> topic(String ns, String name) {
        return Optional.ofNullable(client.resources(KafkaTopic.class).inNamespace(ns).withName(name).get());
    }

    private Optional<PipelinePlan> plan(String ns) {
        return Optional.ofNullable(client.configMaps().inNamespace(ns).withName("shop-events-pipeline-plan").get())
                .map((ConfigMap cm) -> PlanJson.read(cm.getData().get("plan.json")));
    }

    /** The plan hash the pipeline's FlinkDeployment asks for. */
    private String annotatedPlan(String ns) {
        FlinkDeployment fd = client.resources(FlinkDeployment.class).inNamespace(ns).withName("shop-events-pipeline").get();
        return fd == null ? "" : fd.getMetadata().getAnnotations().getOrDefault(Labels.PLAN_HASH, "");
    }

    private static String condition(EventStream s, String type) {
        return s.getStatus() == null ? "Unknown" : s.getStatus().condition(type).map(Condition::getStatus).orElse("Unknown");
    }

    /** Every catalog row of the analysis (dropped ones too): its detail table ({@code schema.table}) → status. */
    private static Map<String, String> catalog(String ns, String kind, String name) throws Exception {
        try (Connection c = serving(); PreparedStatement s = c.prepareStatement("SELECT schema_name, table_name, status FROM " + Catalog.QUALIFIED
                + " WHERE namespace = ? AND kind = ? AND name = ?")) {
            s.setString(1, ns);
            s.setString(2, kind);
            s.setString(3, name);
            Map<String, String> out = new TreeMap<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1) + "." + r.getString(2), r.getString(3));
                }
            }
            return out;
        } catch (java.sql.SQLException e) {
            return Map.of();
        }
    }

    private static boolean tableExists(String qualified) {
        String[] parts = qualified.split("\\.", 2);
        try (Connection c = serving(); PreparedStatement s = c.prepareStatement("SELECT to_regclass(format('%I.%I', ?, ?)) IS NOT NULL")) {
            s.setString(1, parts[0]);
            s.setString(2, parts[1]);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection serving() throws java.sql.SQLException {
        return DriverManager.getConnection(PostgresExtension.shared().jdbcUrl("health_serving"), "postgres", "postgres");
    }

    private static Set<String> kafkaTopics() throws Exception {
        try (Admin admin = KafkaAndPostgres.kafka().admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    private static String retentionMs(String topic) throws Exception {
        try (Admin admin = KafkaAndPostgres.kafka().admin()) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r).get("retention.ms").value();
        }
    }

    private static void produce(String topic, int n) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndPostgres.kafka().bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, "u" + i, "{\"event\":\"purchase\"}")).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** How many records the topic holds (end minus beginning offsets over its partitions). */
    private static long records(String topic) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndPostgres.kafka().bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            long end = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
            long begin = consumer.beginningOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
            return end - begin;
        }
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200));
    }
}
