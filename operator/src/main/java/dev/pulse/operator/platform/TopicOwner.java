package dev.pulse.operator.platform;

import dev.pulse.render.Labels;
import dev.pulse.render.TopicRenderer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.Map;
import java.util.Set;

/**
 * Which Pulse resource a KafkaTopic Pulse created belongs to, by its labels: an EventStream's input
 * and dead-letter topics carry {@code pulse.dev/stream}, a Metric's result topic {@code pulse.dev/metric}.
 * KafkaTopics carry no owner reference: Kubernetes' garbage collector must never delete one (with
 * foreground deletion, as Argo CD prunes, it would delete dependents while the owner's finalizer still
 * decides what {@code deletionPolicy} keeps); the owner's finalizer does ({@link TopicDisposal}).
 *
 * @param label the label naming the owner
 * @param name the owner's name
 * @param roles the roles ({@code pulse.dev/role}) of the topics it creates
 */
public record TopicOwner(String label, String name, Set<String> roles) {

    /** An EventStream's topics: its input (unless external) and its dead-letter topic. */
    public static TopicOwner stream(String name) {
        return new TopicOwner(Labels.STREAM, name, Set.of(Labels.ROLE_INPUT_TOPIC, Labels.ROLE_DEAD_LETTER_TOPIC));
    }

    /** A Metric's result topic. */
    public static TopicOwner metric(String name) {
        return new TopicOwner(Labels.METRIC, name, Set.of(Labels.ROLE_RESULT_TOPIC));
    }

    /** Whether Pulse created the KafkaTopic for this owner (released or not). */
    public boolean created(KafkaTopic t) {
        Map<String, String> labels = t.getMetadata().getLabels();
        return labels != null && Labels.OPERATOR.equals(labels.get(Labels.MANAGED_BY)) && name.equals(labels.get(label))
                && roles.contains(labels.get(Labels.ROLE));
    }

    /**
     * Whether the KafkaTopic is this owner's now: created for it and not released, or (a topic of an
     * earlier Pulse release) carrying an owner reference to it.
     */
    public boolean owns(KafkaTopic t, HasMetadata owner) {
        var refs = t.getMetadata().getOwnerReferences();
        if (refs != null && refs.stream().anyMatch(r -> r.getUid().equals(owner.getMetadata().getUid()))) {
            return true;
        }
        return created(t) && !released(t) && (refs == null || refs.isEmpty());
    }

    /** Whether the KafkaTopic was released by a deleted resource: Strimzi no longer manages it. */
    public static boolean released(KafkaTopic t) {
        Map<String, String> annotations = t.getMetadata().getAnnotations();
        return annotations != null && "false".equals(annotations.get(TopicRenderer.STRIMZI_MANAGED));
    }

    /** The name of the owner a Pulse KafkaTopic names through this label, or null. */
    public static String ownerName(KafkaTopic t, String label) {
        Map<String, String> labels = t.getMetadata().getLabels();
        return labels == null || !Labels.OPERATOR.equals(labels.get(Labels.MANAGED_BY)) ? null : labels.get(label);
    }
}
