package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.testsupport.Checkout;
import dev.pulse.testsupport.TopicController;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's KafkaTopics outlive a run of the in-memory API: the journal keeps them, and the
 * next run gets back, released, those whose topic is still in Kafka; KafkaTopics Pulse did not make
 * are not kept.
 */
class KafkaTopicJournalTest {
    @TempDir
    Path dir;

    @Test
    void theNextRunGetsThePulseTopicsBackReleasedOnlyWhereKafkaStillHasThem() throws Exception {
        Path file = dir.resolve("kafkatopics.json");
        Progress quiet = new Progress(new PrintStream(new ByteArrayOutputStream()));
        try (ApiServer first = ApiServer.start(Ports.free(), Checkout.root().resolve("crds"));
                KafkaTopicJournal journal = new KafkaTopicJournal(first.client(), file, quiet).start()) {
            KubernetesClient api = first.client();
            api.resource(topic("shop-events", Map.of("app.kubernetes.io/managed-by", "pulse-operator", "pulse.dev/stream", "shop-events",
                    "pulse.dev/role", "input-topic"))).create();
            api.resource(topic("shop-events.dlq", Map.of("app.kubernetes.io/managed-by", "pulse-operator", "pulse.dev/stream", "shop-events",
                    "pulse.dev/role", "dead-letter-topic"))).create();
            api.resource(topic("hand-made", Map.of())).create();
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file)
                    && KafkaTopicJournal.read(api, file).size() == 2);
        }

        try (ApiServer next = ApiServer.start(Ports.free(), Checkout.root().resolve("crds"))) {
            KafkaTopicJournal journal = new KafkaTopicJournal(next.client(), file, quiet);
            // the dead-letter topic was deleted from Kafka meanwhile
            assertThat(journal.restore(Set.of("shop-events", "hand-made"))).isEqualTo(1);
            KafkaTopic restored = next.client().resources(KafkaTopic.class).inNamespace("default").withName("shop-events").get();
            assertThat(restored.getMetadata().getAnnotations()).containsEntry(TopicController.MANAGED, "false");
            assertThat(restored.getMetadata().getLabels()).containsEntry("pulse.dev/stream", "shop-events");
            assertThat(restored.getSpec().getTopicName()).isEqualTo("shop-events");
            assertThat(next.client().resources(KafkaTopic.class).inNamespace("default").withName("shop-events.dlq").get()).isNull();
            assertThat(next.client().resources(KafkaTopic.class).inNamespace("default").withName("hand-made").get()).isNull();
        }
    }

    private static KafkaTopic topic(String name, Map<String, String> labels) {
        return new KafkaTopicBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").withLabels(labels).build())
                .withNewSpec().withTopicName(name).withPartitions(1).withReplicas(1).endSpec().build();
    }
}
