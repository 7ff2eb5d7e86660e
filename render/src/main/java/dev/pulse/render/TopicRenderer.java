package dev.pulse.render;

import dev.pulse.api.compile.Defaults;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.DeadLetters;
import dev.pulse.api.v1alpha1.common.Durations;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.eventstream.KafkaTopicSpec;
import dev.pulse.api.v1alpha1.metric.Metric;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicSpecBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Strimzi KafkaTopics: a stream's input topic, its dead-letter topic and a Metric's result topic. */
public final class TopicRenderer {
    /** KafkaTopic object names are DNS-1123 subdomains; the Kafka topic name itself goes in spec.topicName. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

    /**
     * Strimzi's annotation: {@code "false"} makes its topic operator leave the topic alone, also when
     * the KafkaTopic is deleted (the topic and its records stay in Kafka).
     */
    public static final String STRIMZI_MANAGED = "strimzi.io/managed";

    private final RenderSettings settings;

    public TopicRenderer(RenderSettings settings) {
        this.settings = settings;
    }

    /** The Strimzi cluster a stream's topics live in. */
    public String cluster(EventStream stream) {
        String cluster = stream.getSpec().getKafka().getCluster();
        return cluster == null || cluster.isBlank() ? settings.defaultCluster() : cluster;
    }

    /** The KafkaTopic of a stream's events (not rendered for external topics). */
    public KafkaTopic input(EventStream stream) {
        KafkaTopicSpec kafka = stream.getSpec().getKafka();
        String streamName = stream.getMetadata().getName();
        return topic(objectName(kafka.getTopic(), streamName + "-events"), stream, Labels.ROLE_INPUT_TOPIC, Map.of(),
                kafka.getTopic(), kafka.getPartitions(), kafka.getReplicas(), kafka.getRetention());
    }

    /**
     * The KafkaTopic of a stream's dead-letter records ({@link DeadLetters#topic}), rendered for
     * external input topics too (the pipeline writes it). Partitions and retention follow the input
     * topic's spec, so a dead-letter record stays as long as the record it points at. Its records
     * carry the time they were appended ({@code message.timestamp.type: LogAppendTime}): the
     * operator finds the records written since a pipeline started by time.
     */
    public KafkaTopic deadLetters(EventStream stream) {
        KafkaTopicSpec kafka = stream.getSpec().getKafka();
        String streamName = stream.getMetadata().getName();
        String topic = DeadLetters.topic(kafka.getTopic());
        KafkaTopic t = topic(objectName(topic, streamName + "-dlq"), stream, Labels.ROLE_DEAD_LETTER_TOPIC, Map.of(), topic,
                kafka.getPartitions(), kafka.getReplicas(), kafka.getRetention());
        t.getSpec().getConfig().put("message.timestamp.type", "LogAppendTime");
        return t;
    }

    /** The KafkaTopic a Metric with {@code outputTopic: true} writes its results to. */
    public KafkaTopic results(Metric metric, AnalysisPlan plan, EventStream stream) {
        KafkaTopicSpec kafka = stream.getSpec().getKafka();
        String fallback = metric.getMetadata().getName() + "-results";
        return topic(objectName(plan.outputTopic(), fallback), stream, Labels.ROLE_RESULT_TOPIC,
                Map.of(Labels.METRIC, metric.getMetadata().getName()), plan.outputTopic(),
                kafka.getPartitions(), kafka.getReplicas(), null);
    }

    private KafkaTopic topic(String name, EventStream stream, String role, Map<String, String> extraLabels, String topicName,
            Integer partitions, Integer replicas, String retention) {
        Map<String, String> labels = new TreeMap<>(Labels.of(stream.getMetadata().getName(), role));
        labels.putAll(extraLabels);
        labels.put(Labels.STRIMZI_CLUSTER, cluster(stream));
        long retentionMs = Durations.parse(retention == null ? Defaults.KAFKA_RETENTION : retention)
                .orElse(Duration.ofDays(7)).toMillis();
        Map<String, Object> config = new TreeMap<>();
        config.put("retention.ms", retentionMs);
        KafkaTopic topic = new KafkaTopic();
        // explicit, so that re-adopting a topic a deleted resource released (managed "false") hands it back to Strimzi
        topic.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(stream.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(Map.of(STRIMZI_MANAGED, "true")).build());
        topic.setSpec(new KafkaTopicSpecBuilder()
                .withTopicName(topicName)
                .withPartitions(partitions == null ? Defaults.PARTITIONS : partitions)
                .withReplicas(replicas)
                .withConfig(config)
                .build());
        return topic;
    }

    /** The topic name when it is a valid object name, else a name derived from the owner. */
    static String objectName(String topic, String fallback) {
        return topic != null && topic.length() <= 253 && DNS_SUBDOMAIN.matcher(topic).matches() ? topic : fallback;
    }
}
