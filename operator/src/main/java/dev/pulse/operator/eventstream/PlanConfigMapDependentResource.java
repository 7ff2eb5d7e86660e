package dev.pulse.operator.eventstream;

import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.render.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import java.util.Map;
import java.util.stream.Collectors;

/** One plan ConfigMap per pipeline of the stream (the shared one, plus one per dedicated analysis). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.PLAN_SELECTOR))
public class PlanConfigMapDependentResource extends KubernetesDependentResource<ConfigMap, EventStream>
        implements CRUDBulkDependentResource<ConfigMap, EventStream>, GarbageCollected<EventStream> {

    public PlanConfigMapDependentResource() {
        super(ConfigMap.class);
    }

    @Override
    public Map<String, ConfigMap> desiredResources(EventStream stream, Context<EventStream> context) {
        return StreamWorkflow.state(context).planConfigMaps();
    }

    @Override
    public Map<String, ConfigMap> getSecondaryResources(EventStream stream, Context<EventStream> context) {
        return context.getSecondaryResourcesAsStream(ConfigMap.class)
                .filter(cm -> cm.getMetadata().getLabels() != null && cm.getMetadata().getLabels().containsKey(Labels.PIPELINE)
                        && Labels.ROLE_PLAN.equals(cm.getMetadata().getLabels().get(Labels.ROLE)))
                .collect(Collectors.toMap(cm -> cm.getMetadata().getLabels().get(Labels.PIPELINE), cm -> cm, (a, b) -> a));
    }

    @Override
    public ReconcileResult<ConfigMap> reconcile(EventStream stream, Context<EventStream> context) {
        ReconcileResult<ConfigMap> result = super.reconcile(stream, context);
        StreamWorkflow.passed(context, stream, ReconcileSteps.Step.CONFIG_MAPS);
        return result;
    }
}
