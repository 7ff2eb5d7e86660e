package dev.pulse.operator.analysis;

import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.operator.platform.OwnedKafkaTopicDependentResource;
import dev.pulse.render.Labels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.Optional;

/**
 * The KafkaTopic a Metric with {@code outputTopic: true} writes results to. Like the input topic,
 * turning outputTopic off leaves it; it goes only with its Metric, per its deletionPolicy.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.RESULT_TOPIC_SELECTOR))
public class ResultTopicDependentResource extends OwnedKafkaTopicDependentResource<Metric> {

    public ResultTopicDependentResource() {
        super(Labels.METRIC);
    }

    static void put(Context<Metric> context, KafkaTopic desired) {
        context.managedWorkflowAndDependentResourceContext().put(ResultTopicDependentResource.class, desired);
    }

    static Optional<KafkaTopic> wanted(Context<Metric> context) {
        return context.managedWorkflowAndDependentResourceContext().get(ResultTopicDependentResource.class, KafkaTopic.class);
    }

    @Override
    protected KafkaTopic desired(Metric metric, Context<Metric> context) {
        return wanted(context).orElseThrow();
    }

    /** Reconcile precondition: the Metric asks for an output topic. */
    public static class Wanted implements Condition<KafkaTopic, Metric> {
        @Override
        public boolean isMet(DependentResource<KafkaTopic, Metric> dependent, Metric metric, Context<Metric> context) {
            return wanted(context).isPresent();
        }
    }
}
