package dev.pulse.operator.eventstream;

import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.render.Labels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * One FlinkDeployment per pipeline of the stream. A dedicated analysis that goes back to shared
 * (or is deleted) takes its FlinkDeployment with it; its served results stay in PostgreSQL.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.PIPELINE_SELECTOR))
public class FlinkDeploymentDependentResource extends KubernetesDependentResource<FlinkDeployment, EventStream>
        implements CRUDBulkDependentResource<FlinkDeployment, EventStream>, GarbageCollected<EventStream> {

    public FlinkDeploymentDependentResource() {
        super(FlinkDeployment.class);
    }

    @Override
    public Map<String, FlinkDeployment> desiredResources(EventStream stream, Context<EventStream> context) {
        return StreamWorkflow.state(context).flinkDeployments();
    }

    @Override
    public Map<String, FlinkDeployment> getSecondaryResources(EventStream stream, Context<EventStream> context) {
        return context.getSecondaryResourcesAsStream(FlinkDeployment.class)
                .collect(Collectors.toMap(fd -> fd.getMetadata().getName(), fd -> fd, (a, b) -> a));
    }

    @Override
    public ReconcileResult<FlinkDeployment> reconcile(EventStream stream, Context<EventStream> context) {
        ReconcileResult<FlinkDeployment> result = super.reconcile(stream, context);
        StreamWorkflow.passed(context, stream, ReconcileSteps.Step.PIPELINE);
        return result;
    }
}
