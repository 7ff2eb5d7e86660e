package dev.pulse.testsupport;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.strimzi.api.kafka.model.common.Condition;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Plays Strimzi's topic operator on the local broker: a KafkaTopic's create/update makes the topic
 * (name {@code spec.topicName}, else the object's name) with its partitions and config, and its
 * deletion deletes the topic, unless annotated {@code strimzi.io/managed: "false"}. Status is
 * Strimzi's: {@code conditions[type=Ready]}, {@code observedGeneration}, {@code topicName},
 * {@code topicId}; a decrease of partitions is {@code Ready=False NotSupported} as in Strimzi.
 * There is one broker, so replicas are capped at 1. The embedded stack runs it, and so do operator
 * tests that look at what a KafkaTopic did in Kafka.
 */
public final class TopicController implements AutoCloseable {
    public static final String MANAGED = "strimzi.io/managed";

    private final KubernetesClient client;
    private final Admin admin;
    private final StandInReport progress;
    private final WorkerThread worker = new WorkerThread("strimzi-stand-in");
    private SharedIndexInformer<KafkaTopic> informer;

    public TopicController(KubernetesClient client, String bootstrapServers, StandInReport progress) {
        this.client = client;
        this.admin = KafkaBrokerConfig.admin(bootstrapServers);
        this.progress = progress;
    }

    public TopicController start() {
        informer = client.resources(KafkaTopic.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(KafkaTopic t) {
                worker.submit(() -> reconcile(t));
            }

            @Override
            public void onUpdate(KafkaTopic old, KafkaTopic t) {
                if (!Objects.equals(old.getMetadata().getGeneration(), t.getMetadata().getGeneration())
                        || t.getStatus() == null || t.getStatus().getObservedGeneration() != t.getMetadata().getGeneration()) {
                    worker.submit(() -> reconcile(t));
                }
            }

            @Override
            public void onDelete(KafkaTopic t, boolean unknownFinalState) {
                worker.submit(() -> delete(t));
            }
        }, 60_000);
        return this;
    }

    public static String topicName(KafkaTopic t) {
        String name = t.getSpec() == null ? null : t.getSpec().getTopicName();
        return name == null || name.isBlank() ? t.getMetadata().getName() : name;
    }

    private static boolean unmanaged(KafkaTopic t) {
        Map<String, String> a = t.getMetadata().getAnnotations();
        return a != null && "false".equals(a.get(MANAGED));
    }

    void reconcile(KafkaTopic t) {
        String topic = topicName(t);
        String who = t.getMetadata().getNamespace() + "/" + t.getMetadata().getName();
        try {
            if (unmanaged(t)) {
                writeStatus(t, topic, null, "True", null, null);
                return;
            }
            int partitions = t.getSpec() == null || t.getSpec().getPartitions() == null ? 1 : t.getSpec().getPartitions();
            Map<String, String> config = config(t);
            TopicDescription existing = describe(topic);
            if (existing == null) {
                NewTopic nt = new NewTopic(topic, partitions, (short) 1).configs(config);
                try {
                    admin.createTopics(List.of(nt)).all().get(30, TimeUnit.SECONDS);
                    progress.step("strimzi", "KafkaTopic " + who + ": created topic " + topic + " (" + partitions + " partitions"
                            + (replicas(t) > 1 ? ", replicas " + replicas(t) + " → 1 on the local broker" : "") + ")");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                existing = describe(topic);
            } else {
                int current = existing.partitions().size();
                if (partitions < current) {
                    writeStatus(t, topic, existing, "False", "NotSupported",
                            "Decreasing partitions not supported (topic has " + current + ", spec asks for " + partitions + ")");
                    return;
                }
                if (partitions > current) {
                    admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all().get(30, TimeUnit.SECONDS);
                    progress.step("strimzi", "KafkaTopic " + who + ": " + topic + " now has " + partitions + " partitions");
                }
                if (!config.isEmpty()) {
                    List<AlterConfigOp> ops = new ArrayList<>();
                    config.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
                    admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops))
                            .all().get(30, TimeUnit.SECONDS);
                }
                existing = describe(topic);
            }
            writeStatus(t, topic, existing, "True", null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            progress.error("strimzi", "KafkaTopic " + who + ": " + cause.getMessage());
            try {
                writeStatus(t, topic, null, "False", cause.getClass().getSimpleName(), String.valueOf(cause.getMessage()));
            } catch (RuntimeException ignored) {
                // the status write failing too is already reported above
            }
        }
    }

    private static int replicas(KafkaTopic t) {
        return t.getSpec() == null || t.getSpec().getReplicas() == null ? 1 : t.getSpec().getReplicas();
    }

    private static Map<String, String> config(KafkaTopic t) {
        Map<String, String> config = new java.util.TreeMap<>();
        if (t.getSpec() != null && t.getSpec().getConfig() != null) {
            t.getSpec().getConfig().forEach((k, v) -> config.put(k, String.valueOf(v)));
        }
        return config;
    }

    private TopicDescription describe(String topic) throws Exception {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }

    private void writeStatus(KafkaTopic t, String topic, TopicDescription d, String ready, String reason, String message) {
        for (int attempt = 0; attempt < 5; attempt++) {
            KafkaTopic current = client.resources(KafkaTopic.class).inNamespace(t.getMetadata().getNamespace())
                    .withName(t.getMetadata().getName()).get();
            if (current == null) {
                return;
            }
            KafkaTopicStatus previous = current.getStatus();
            String since = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            if (previous != null && previous.getConditions() != null) {
                for (Condition c : previous.getConditions()) {
                    if ("Ready".equals(c.getType()) && ready.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                        since = c.getLastTransitionTime();
                    }
                }
            }
            KafkaTopicStatus status = new KafkaTopicStatus();
            status.setObservedGeneration(current.getMetadata().getGeneration() == null ? 0 : current.getMetadata().getGeneration());
            status.setTopicName(topic);
            if (d != null) {
                status.setTopicId(d.topicId().toString());
            }
            status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus(ready).withReason(reason)
                    .withMessage(message).withLastTransitionTime(since).build()));
            if (previous != null && status.equals(previous)) {
                return;
            }
            current.setStatus(status);
            try {
                client.resource(current).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    void delete(KafkaTopic t) {
        if (unmanaged(t)) {
            return;
        }
        String topic = topicName(t);
        try {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            progress.step("strimzi", "KafkaTopic " + t.getMetadata().getNamespace() + "/" + t.getMetadata().getName()
                    + " deleted: topic " + topic + " deleted");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof UnknownTopicOrPartitionException)) {
                progress.error("strimzi", "deleting topic " + topic + ": " + cause.getMessage());
            }
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        worker.close();
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
