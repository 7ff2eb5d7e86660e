package dev.pulse.operator.platform;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.Set;

/**
 * A Strimzi KafkaTopic a Pulse resource owns: created and updated, never deleted by the operator
 * (Strimzi deletes a topic's records with its KafkaTopic), mapped back to its owner through the
 * owner reference. Subclasses say which topic is desired and when.
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

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(KafkaTopic topic) {
        return owners.toPrimaryResourceIDs(topic);
    }
}
