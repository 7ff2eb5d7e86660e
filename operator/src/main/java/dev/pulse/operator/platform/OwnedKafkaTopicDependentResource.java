package dev.pulse.operator.platform;

import io.fabric8.kubernetes.api.model.HasMetadata;
import dev.pulse.operator.render.TopicRenderer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.Set;

/**
 * A Strimzi KafkaTopic a Pulse resource owns: created and updated, mapped back to its owner through
 * the owner reference. The workflow never deletes it (Strimzi deletes a topic's records with its
 * KafkaTopic): only the owner's deletion does, per its deletionPolicy ({@link TopicDisposal}).
 * Subclasses say which topic is desired and when.
 */
public abstract class OwnedKafkaTopicDependentResource<P extends HasMetadata> extends KubernetesDependentResource<KafkaTopic, P>
        implements Creator<KafkaTopic, P>, Updater<KafkaTopic, P>, SecondaryToPrimaryMapper<KafkaTopic> {

    private final SecondaryToPrimaryMapper<KafkaTopic> owners;

    protected OwnedKafkaTopicDependentResource(Class<P> ownerKind) {
        super(KafkaTopic.class);
        this.owners = Mappers.fromOwnerReferences(ownerKind, false);
    }

    @Override
    protected boolean addOwnerReference() {
        return true;
    }

    /**
     * A KafkaTopic that matches the desired spec is still updated when its owner does not own it or
     * Strimzi does not manage it: a topic a deleted resource of the same name released is taken back
     * (owner reference added, {@code strimzi.io/managed: "true"}).
     */
    @Override
    public Matcher.Result<KafkaTopic> match(KafkaTopic actual, KafkaTopic desired, P primary, Context<P> context) {
        Matcher.Result<KafkaTopic> result = super.match(actual, desired, primary, context);
        if (!result.matched()) {
            return result;
        }
        var meta = actual.getMetadata();
        boolean owned = meta.getOwnerReferences() != null
                && meta.getOwnerReferences().stream().anyMatch(r -> r.getUid().equals(primary.getMetadata().getUid()));
        boolean managed = meta.getAnnotations() == null || !"false".equals(meta.getAnnotations().get(TopicRenderer.STRIMZI_MANAGED));
        return owned && managed ? result : Matcher.Result.nonComputed(false);
    }

    /** An update also restores the owner reference (JOSDK's update keeps the actual object's metadata). */
    @Override
    public KafkaTopic update(KafkaTopic actual, KafkaTopic desired, P primary, Context<P> context) {
        KafkaTopic owned = context.getClient().getKubernetesSerialization().clone(actual);
        owned.addOwnerReference(primary);
        return super.update(owned, desired, primary, context);
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(KafkaTopic topic) {
        return owners.toPrimaryResourceIDs(topic);
    }
}
