package dev.pulse.operator.platform;

import io.fabric8.kubernetes.api.model.HasMetadata;
import dev.pulse.render.TopicRenderer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.Set;

/**
 * A Strimzi KafkaTopic Pulse creates for a resource: created and updated, never deleted by the
 * workflow (Strimzi deletes a topic's records with its KafkaTopic): only the resource's deletion
 * does, per its deletionPolicy ({@link TopicDisposal}). It carries no owner reference
 * ({@link TopicOwner}: the garbage collector must not delete it) and is mapped back to its resource
 * through its labels. Subclasses say which topic is desired and when, and which label names the resource.
 */
public abstract class OwnedKafkaTopicDependentResource<P extends HasMetadata> extends KubernetesDependentResource<KafkaTopic, P>
        implements Creator<KafkaTopic, P>, Updater<KafkaTopic, P>, SecondaryToPrimaryMapper<KafkaTopic> {

    private final String ownerLabel;

    /** @param ownerLabel the label that names the resource the topic belongs to */
    protected OwnedKafkaTopicDependentResource(String ownerLabel) {
        super(KafkaTopic.class);
        this.ownerLabel = ownerLabel;
    }

    @Override
    protected boolean addOwnerReference() {
        return false;
    }

    /**
     * A KafkaTopic that matches the desired spec is still updated when Strimzi does not manage it (a
     * topic a deleted resource of the same name released is taken back: {@code strimzi.io/managed:
     * "true"}) or when it has an owner reference (topics of earlier Pulse releases lose it).
     */
    @Override
    public Matcher.Result<KafkaTopic> match(KafkaTopic actual, KafkaTopic desired, P primary, Context<P> context) {
        Matcher.Result<KafkaTopic> result = super.match(actual, desired, primary, context);
        if (!result.matched()) {
            return result;
        }
        var refs = actual.getMetadata().getOwnerReferences();
        boolean owned = refs != null && !refs.isEmpty();
        return owned || TopicOwner.released(actual) ? Matcher.Result.nonComputed(false) : result;
    }

    /** An update also drops the owner references (JOSDK's update keeps the actual object's metadata). */
    @Override
    public KafkaTopic update(KafkaTopic actual, KafkaTopic desired, P primary, Context<P> context) {
        KafkaTopic unowned = context.getClient().getKubernetesSerialization().clone(actual);
        unowned.getMetadata().setOwnerReferences(new java.util.ArrayList<>());
        return super.update(unowned, desired, primary, context);
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(KafkaTopic topic) {
        String owner = TopicOwner.ownerName(topic, ownerLabel);
        return owner == null ? Set.of() : Set.of(new ResourceID(owner, topic.getMetadata().getNamespace()));
    }
}
