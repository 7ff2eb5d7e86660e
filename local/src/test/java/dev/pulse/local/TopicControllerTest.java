package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.testsupport.Checkout;
import dev.pulse.testsupport.ConflictRetry;
import dev.pulse.testsupport.EmbeddedKafka;
import dev.pulse.testsupport.TopicController;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Strimzi stand-in on the in-memory API server and a real broker. */
class TopicControllerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static ApiServer api;
    static TopicController controller;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), Ports.free(), Ports.free());
        api = ApiServer.start(Ports.free(), Checkout.root().resolve("crds"));
        controller = new TopicController(api.client(), kafka.bootstrapServers(), new Progress(new PrintStream(new ByteArrayOutputStream()))).start();
        admin = kafka.admin();
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (api != null) {
            api.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static KafkaTopic topic(String name, String topicName, int partitions) {
        return new KafkaTopicBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default")
                        .withLabels(Map.of("strimzi.io/cluster", "analytics")).build())
                .withNewSpec().withTopicName(topicName).withPartitions(partitions).withReplicas(3)
                .withConfig(Map.of("retention.ms", 3_600_000)).endSpec().build();
    }

    @Test
    void kafkaTopicMakesTheTopicAndReportsReadyLikeStrimzi() throws Exception {
        KubernetesClient client = api.client();
        client.resource(topic("orders", "shop.orders_v1", 3)).create();

        await().atMost(TIMEOUT).until(() -> topicExists("shop.orders_v1"));
        TopicDescription d = describe("shop.orders_v1");
        assertThat(d.partitions()).hasSize(3);
        String retention = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "shop.orders_v1")))
                .all().get(10, TimeUnit.SECONDS).values().iterator().next().get("retention.ms").value();
        assertThat(retention).isEqualTo("3600000");
        await().atMost(TIMEOUT).until(() -> ready("orders", "True"));
        KafkaTopic kt = client.resources(KafkaTopic.class).inNamespace("default").withName("orders").get();
        assertThat(kt.getStatus().getTopicName()).isEqualTo("shop.orders_v1");
        assertThat(kt.getStatus().getObservedGeneration()).isEqualTo(kt.getMetadata().getGeneration());
        assertThat(kt.getStatus().getTopicId()).isEqualTo(d.topicId().toString());

        // more partitions: the topic grows
        editSpec(client, "orders", t -> t.getSpec().setPartitions(5));
        await().atMost(TIMEOUT).until(() -> partitions("shop.orders_v1") == 5);

        // fewer partitions: not supported, as in Strimzi
        editSpec(client, "orders", t -> t.getSpec().setPartitions(2));
        await().atMost(TIMEOUT).until(() -> ready("orders", "False"));
        assertThat(client.resources(KafkaTopic.class).inNamespace("default").withName("orders").get().getStatus().getConditions().get(0)
                .getReason()).isEqualTo("NotSupported");
        assertThat(partitions("shop.orders_v1")).isEqualTo(5);

        client.resources(KafkaTopic.class).inNamespace("default").withName("orders").delete();
        await().atMost(TIMEOUT).until(() -> !topicExists("shop.orders_v1"));
    }

    @Test
    void unmanagedTopicIsKeptOnDelete() throws Exception {
        KubernetesClient client = api.client();
        KafkaTopic t = topic("keep", "keep-me", 1);
        client.resource(t).create();
        await().atMost(TIMEOUT).until(() -> topicExists("keep-me"));
        editSpec(client, "keep", k -> k.getMetadata().setAnnotations(Map.of(TopicController.MANAGED, "false")));
        Thread.sleep(500);
        client.resources(KafkaTopic.class).inNamespace("default").withName("keep").delete();
        Thread.sleep(1500);
        assertThat(topicExists("keep-me")).isTrue();
    }

    private boolean ready(String name, String status) {
        KafkaTopic kt = api.client().resources(KafkaTopic.class).inNamespace("default").withName(name).get();
        return kt != null && kt.getStatus() != null && kt.getStatus().getConditions() != null
                && kt.getStatus().getObservedGeneration() == kt.getMetadata().getGeneration()
                && kt.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals(status));
    }

    private boolean topicExists(String name) {
        try {
            Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            return names.contains(name);
        } catch (Exception e) {
            return false;
        }
    }

    private TopicDescription describe(String name) throws Exception {
        return admin.describeTopics(List.of(name)).allTopicNames().get(10, TimeUnit.SECONDS).get(name);
    }

    private int partitions(String name) {
        try {
            return describe(name).partitions().size();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Edits a KafkaTopic, retrying when the controller's status write got there first (409). */
    private static void editSpec(KubernetesClient client, String name, java.util.function.Consumer<KafkaTopic> change) {
        ConflictRetry.edit(client.resources(KafkaTopic.class).inNamespace("default").withName(name), change);
    }
}
