package dev.pulse.operator.platform;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/** Activation condition: KafkaTopic dependents exist only where Strimzi's KafkaTopic CRD is installed. */
public class StrimziInstalled implements Condition<KafkaTopic, HasMetadata> {
    @Override
    public boolean isMet(DependentResource<KafkaTopic, HasMetadata> dependentResource, HasMetadata primary, Context<HasMetadata> context) {
        return CrdPresence.shared().installed(KafkaTopic.class, context.getClient());
    }
}
