package dev.pulse.operator.platform;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/** Activation condition: FlinkDeployment dependents exist only where the Flink operator's CRD is installed. */
public class FlinkOperatorInstalled implements Condition<FlinkDeployment, HasMetadata> {
    @Override
    public boolean isMet(DependentResource<FlinkDeployment, HasMetadata> dependentResource, HasMetadata primary,
            Context<HasMetadata> context) {
        return CrdPresence.shared().installed(FlinkDeployment.class, context.getClient());
    }
}
