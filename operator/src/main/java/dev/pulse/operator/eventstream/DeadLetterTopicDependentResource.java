package dev.pulse.operator.eventstream;

import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.operator.platform.OwnedKafkaTopicDependentResource;
import dev.pulse.render.Labels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/**
 * The Strimzi KafkaTopic {@code <topic>.dlq} the stream's pipeline writes the records it does not
 * count to (docs/bad-events.md). Created with the stream, also when its input topic is external:
 * it is the pipeline's own output. It goes only with its EventStream, per its deletionPolicy.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.DEAD_LETTER_TOPIC_SELECTOR))
public class DeadLetterTopicDependentResource extends OwnedKafkaTopicDependentResource<EventStream> {

    public DeadLetterTopicDependentResource() {
        super(Labels.STREAM);
    }

    @Override
    protected KafkaTopic desired(EventStream stream, Context<EventStream> context) {
        return StreamWorkflow.state(context).deadLetterTopic();
    }

    @Override
    public ReconcileResult<KafkaTopic> reconcile(EventStream stream, Context<EventStream> context) {
        ReconcileResult<KafkaTopic> result = super.reconcile(stream, context);
        StreamWorkflow.passed(context, stream, ReconcileSteps.Step.TOPICS);
        return result;
    }
}
