package dev.pulse.operator.platform;

import dev.pulse.api.v1alpha1.common.DeletionPolicy;
import dev.pulse.render.Labels;
import dev.pulse.render.TopicRenderer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What happens to the KafkaTopics a Pulse resource owns ({@link TopicOwner#owns}) when the
 * resource is deleted, per its {@link DeletionPolicy}.
 *
 * <ul>
 *   <li>Retain: each is <em>released</em>, as Strimzi documents for keeping a topic while no longer
 *   managing it: annotated {@code strimzi.io/managed: "false"} (Strimzi's topic operator then leaves the
 *   topic alone, also when the KafkaTopic is deleted), and any owner reference to the resource removed
 *   (topics of earlier Pulse releases have one; Kubernetes' garbage collector would delete them with
 *   their owner). The KafkaTopic stays, showing what was kept; deleting it later leaves the topic in
 *   Kafka. A resource re-created under the same name takes it back.</li>
 *   <li>Delete: each is deleted; Strimzi deletes the topic and its records.</li>
 * </ul>
 *
 * A topic the policy must never delete (an input topic that is now external) is released under either policy.
 */
public final class TopicDisposal {
    private TopicDisposal() {
    }

    /**
     * Releases or deletes the owner's KafkaTopics.
     *
     * @param keep topics that are released whatever the policy (e.g. an input topic now external)
     * @return one line per topic: what was done to it
     */
    public static List<String> dispose(KubernetesClient client, HasMetadata owner, TopicOwner topics, DeletionPolicy policy,
            Predicate<KafkaTopic> keep) {
        List<String> done = new ArrayList<>();
        for (KafkaTopic t : client.resources(KafkaTopic.class).inNamespace(owner.getMetadata().getNamespace())
                .withLabel(Labels.MANAGED_BY, Labels.OPERATOR).list().getItems()) {
            if (!topics.owns(t, owner)) {
                continue;
            }
            String topic = t.getSpec() == null || t.getSpec().getTopicName() == null ? t.getMetadata().getName() : t.getSpec().getTopicName();
            try {
                if (policy == DeletionPolicy.Delete && !keep.test(t)) {
                    client.resource(t).delete();
                    done.add("deleted KafkaTopic " + t.getMetadata().getName() + " (topic " + topic + ")");
                } else {
                    release(client, t, owner.getMetadata().getUid());
                    done.add("released KafkaTopic " + t.getMetadata().getName() + " (topic " + topic + " kept, no longer managed)");
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        return done;
    }

    /** Strimzi stops managing the topic, and the owner's reference (if any) goes. */
    static void release(KubernetesClient client, KafkaTopic t, String ownerUid) {
        client.resource(t).edit(current -> {
            Map<String, String> annotations = new HashMap<>(Objects.requireNonNullElse(current.getMetadata().getAnnotations(), Map.of()));
            annotations.put(TopicRenderer.STRIMZI_MANAGED, "false");
            current.getMetadata().setAnnotations(annotations);
            List<OwnerReference> refs = new ArrayList<>(Objects.requireNonNullElse(current.getMetadata().getOwnerReferences(), List.of()));
            refs.removeIf(r -> r.getUid().equals(ownerUid));
            current.getMetadata().setOwnerReferences(refs);
            return current;
        });
    }
}
