package dev.pulse.operator.eventstream;

import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.operator.platform.OwnedKafkaTopicDependentResource;
import dev.pulse.render.Labels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/**
 * The stream's Strimzi KafkaTopic. It goes only with its EventStream, per its deletionPolicy: turning
 * {@code external} on or the stream invalid leaves it alone.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.INPUT_TOPIC_SELECTOR))
public class InputTopicDependentResource extends OwnedKafkaTopicDependentResource<EventStream> {

    public InputTopicDependentResource() {
        super(Labels.STREAM);
    }

    @Override
    protected KafkaTopic desired(EventStream stream, Context<EventStream> context) {
        return StreamWorkflow.state(context).inputTopic();
    }

    @Override
    public ReconcileResult<KafkaTopic> reconcile(EventStream stream, Context<EventStream> context) {
        ReconcileResult<KafkaTopic> result = super.reconcile(stream, context);
        StreamWorkflow.passed(context, stream, ReconcileSteps.Step.TOPICS);
        return result;
    }

    /** Reconcile precondition: the stream's topic is not external. */
    public static class Wanted implements Condition<KafkaTopic, EventStream> {
        @Override
        public boolean isMet(DependentResource<KafkaTopic, EventStream> dependent, EventStream stream, Context<EventStream> context) {
            return StreamWorkflow.state(context).inputTopic() != null;
        }
    }
}
