package dev.pulse.local;

import dev.pulse.testsupport.TopicController;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Carries the operator's KafkaTopics from one run of {@code pulse local} to the next. The Kubernetes
 * API is in memory and starts empty, while the broker keeps its topics; without the KafkaTopics, a
 * stream applied again would name a topic that exists in Kafka and that no KafkaTopic claims, and
 * be refused (it needs {@code kafka.external: true} for a topic Pulse did not create). So the
 * journal keeps every KafkaTopic the operator made ({@code app.kubernetes.io/managed-by:
 * pulse-operator}) in {@code <data>/kafkatopics.json}, and the next run restores the ones whose
 * topic still exists as <em>released</em> ({@code strimzi.io/managed: "false"}, as a deleted
 * resource with {@code deletionPolicy: Retain} leaves them): the same stream applied again takes
 * them back, anything else naming their topics is refused, as in a cluster.
 */
final class KafkaTopicJournal implements AutoCloseable {
    private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    private static final String OPERATOR = "pulse-operator";

    private final KubernetesClient client;
    private final Path file;
    private final Progress progress;
    private final Map<String, KafkaTopic> topics = new TreeMap<>();
    private SharedIndexInformer<KafkaTopic> informer;

    KafkaTopicJournal(KubernetesClient client, Path file, Progress progress) {
        this.client = client;
        this.file = file;
        this.progress = progress;
    }

    /** Creates, released, the KafkaTopics of the last run whose topics are in Kafka; returns how many. */
    int restore(Set<String> kafkaTopics) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        int restored = 0;
        for (KafkaTopic t : read(client, file)) {
            if (!kafkaTopics.contains(TopicController.topicName(t))) {
                continue;
            }
            Map<String, String> annotations = new HashMap<>();
            annotations.put(TopicController.MANAGED, "false");
            KafkaTopic released = new KafkaTopic();
            released.setMetadata(new ObjectMetaBuilder().withName(t.getMetadata().getName()).withNamespace(t.getMetadata().getNamespace())
                    .withLabels(t.getMetadata().getLabels()).withAnnotations(annotations).build());
            released.setSpec(t.getSpec());
            released.setStatus(null);
            client.resource(released).create();
            restored++;
        }
        return restored;
    }

    /** Keeps the file up to date with the operator's KafkaTopics from now on. */
    KafkaTopicJournal start() {
        informer = client.resources(KafkaTopic.class).inAnyNamespace().withLabel(MANAGED_BY, OPERATOR).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(KafkaTopic t) {
                changed(t, false);
            }

            @Override
            public void onUpdate(KafkaTopic old, KafkaTopic t) {
                changed(t, false);
            }

            @Override
            public void onDelete(KafkaTopic t, boolean unknownFinalState) {
                changed(t, true);
            }
        }, 0);
        return this;
    }

    private synchronized void changed(KafkaTopic t, boolean deleted) {
        String key = t.getMetadata().getNamespace() + "/" + t.getMetadata().getName();
        if (deleted) {
            topics.remove(key);
        } else {
            topics.put(key, t);
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, client.getKubernetesSerialization().asJson(new ArrayList<>(topics.values())), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            progress.error("strimzi", "cannot keep the KafkaTopics for the next run in " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }

    /** The KafkaTopics a journal file holds. */
    static List<KafkaTopic> read(KubernetesClient client, Path file) throws IOException {
        return List.of(client.getKubernetesSerialization().unmarshal(Files.readString(file, StandardCharsets.UTF_8), KafkaTopic[].class));
    }
}
