package dev.pulse.operator.eventstream;

import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.operator.render.Labels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.Set;

/**
 * The stream's Strimzi KafkaTopic. Created and updated, never deleted by the operator: Strimzi
 * deletes the topic's records with the KafkaTopic, so it goes only with its EventStream (owner
 * reference) — turning {@code external} on or the stream invalid leaves it alone.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.INPUT_TOPIC_SELECTOR))
public class InputTopicDependentResource extends KubernetesDependentResource<KafkaTopic, EventStream>
        implements Creator<KafkaTopic, EventStream>, Updater<KafkaTopic, EventStream>, SecondaryToPrimaryMapper<KafkaTopic> {

    private static final SecondaryToPrimaryMapper<KafkaTopic> OWNERS = Mappers.fromOwnerReferences(EventStream.class, false);

    public InputTopicDependentResource() {
        super(KafkaTopic.class);
    }

    @Override
    protected KafkaTopic desired(EventStream stream, Context<EventStream> context) {
        return StreamWorkflow.state(context).inputTopic();
    }

    @Override
    protected boolean addOwnerReference() {
        return true;
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(KafkaTopic topic) {
        return OWNERS.toPrimaryResourceIDs(topic);
    }

    /** Reconcile precondition: the stream's topic is not external. */
    public static class Wanted implements Condition<KafkaTopic, EventStream> {
        @Override
        public boolean isMet(DependentResource<KafkaTopic, EventStream> dependent, EventStream stream, Context<EventStream> context) {
            return StreamWorkflow.state(context).inputTopic() != null;
        }
    }
}
