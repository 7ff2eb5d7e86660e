package dev.pulse.operator.eventstream;

import dev.pulse.api.compile.Problem;
import dev.pulse.api.v1alpha1.common.Reasons;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.operator.health.StreamProbes;
import dev.pulse.operator.platform.TopicOwner;
import dev.pulse.render.Labels;
import dev.pulse.render.PipelineException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Whether a stream that is not {@code kafka.external} may create its input KafkaTopic, and so
 * manage the topic (its configuration, and its deletion under {@code deletionPolicy: Delete}).
 * It may when the topic is its own: a KafkaTopic Pulse created for a stream of this name and did
 * not release ({@link TopicOwner}), or one a deleted stream of the same name released (taken back). It may not when the topic exists already: another KafkaTopic in the
 * namespace names it, or (when the operator talks to Kafka, {@code pulse.probes.enabled}) the topic
 * exists in Kafka. Such a stream is refused ({@code spec.kafka.topic}, {@code spec.kafka.external}):
 * an existing topic is read only when the stream says it is external, and then never changed.
 */
@ApplicationScoped
public class TopicAdoption {
    private final StreamProbes probes;

    public TopicAdoption(StreamProbes probes) {
        this.probes = probes;
    }

    /**
     * @param wanted the stream's input KafkaTopic as rendered
     * @return why the stream may not take the topic, or empty when it may
     * @throws KafkaUnavailable when the topic might exist but Kafka does not say
     */
    public Optional<Problem> check(EventStream stream, KafkaTopic wanted, Context<EventStream> context) {
        TopicOwner ours = TopicOwner.stream(stream.getMetadata().getName());
        String name = wanted.getMetadata().getName();
        if (context.getSecondaryResourcesAsStream(KafkaTopic.class)
                .anyMatch(t -> name.equals(t.getMetadata().getName()) && ours.owns(t, stream))) {
            return Optional.empty();
        }
        String topic = wanted.getSpec().getTopicName();
        KubernetesClient client = context.getClient();
        for (KafkaTopic t : client.resources(KafkaTopic.class).inNamespace(stream.getMetadata().getNamespace()).list().getItems()) {
            boolean sameObject = name.equals(t.getMetadata().getName());
            if (!sameObject && !topic.equals(topicName(t))) {
                continue;
            }
            // its own, or one a deleted stream of this name released as its input topic: taken (back)
            if (sameObject && (ours.owns(t, stream) || (ours.created(t) && TopicOwner.released(t)
                    && Labels.ROLE_INPUT_TOPIC.equals(t.getMetadata().getLabels().get(Labels.ROLE))))) {
                return Optional.empty();
            }
            return Optional.of(refused(stream, "KafkaTopic '" + t.getMetadata().getName() + "' in this namespace already manages topic '"
                    + topicName(t) + "' and was not created for this EventStream"));
        }
        Optional<Boolean> exists;
        try {
            exists = probes.topicExists(stream, topic);
        } catch (IllegalStateException e) {
            throw new KafkaUnavailable("cannot tell whether topic '" + topic + "' exists in Kafka (" + e.getMessage()
                    + "): the stream creates its topic only once Kafka says it does not exist yet; retrying");
        }
        if (exists.orElse(false)) {
            return Optional.of(refused(stream, "topic '" + topic + "' already exists in Kafka and Pulse did not create it"));
        }
        return Optional.empty();
    }

    private static Problem refused(EventStream stream, String what) {
        return new Problem(stream.getKind() + "/" + stream.getMetadata().getName(), stream.getMetadata().getNamespace(), "spec.kafka.topic",
                what + ": set spec.kafka.external: true to read it (Pulse then never changes its configuration or deletes it), "
                        + "or name a new topic");
    }

    private static String topicName(KafkaTopic t) {
        return t.getSpec() == null || t.getSpec().getTopicName() == null ? t.getMetadata().getName() : t.getSpec().getTopicName();
    }

    /** Kafka did not answer whether the topic exists: retried, shown as Ready=False KafkaUnavailable. */
    static final class KafkaUnavailable extends PipelineException {
        KafkaUnavailable(String message) {
            super(message);
        }

        @Override
        public String reason() {
            return Reasons.KAFKA_UNAVAILABLE;
        }
    }
}
