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

/**
 * One Grafana dashboard ConfigMap per analysis of the stream (across its pipelines). Its informer
 * selects {@code pulse.dev/role=dashboard}, the plan ConfigMaps' {@code pulse.dev/role=plan}: each
 * of the two ConfigMap dependents sees only its own objects.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.DASHBOARD_SELECTOR))
public class DashboardConfigMapDependentResource extends KubernetesDependentResource<ConfigMap, EventStream>
        implements CRUDBulkDependentResource<ConfigMap, EventStream>, GarbageCollected<EventStream> {

    public DashboardConfigMapDependentResource() {
        super(ConfigMap.class);
    }

    @Override
    public Map<String, ConfigMap> desiredResources(EventStream stream, Context<EventStream> context) {
        return StreamWorkflow.state(context).dashboards();
    }

    @Override
    public Map<String, ConfigMap> getSecondaryResources(EventStream stream, Context<EventStream> context) {
        // context.getSecondaryResources(ConfigMap.class) merges every ConfigMap informer: keep only dashboards
        return context.getSecondaryResourcesAsStream(ConfigMap.class)
                .filter(cm -> cm.getMetadata().getLabels() != null
                        && Labels.ROLE_DASHBOARD.equals(cm.getMetadata().getLabels().get(Labels.ROLE)))
                .collect(Collectors.toMap(cm -> cm.getMetadata().getName(), cm -> cm, (a, b) -> a));
    }

    @Override
    public ReconcileResult<ConfigMap> reconcile(EventStream stream, Context<EventStream> context) {
        ReconcileResult<ConfigMap> result = super.reconcile(stream, context);
        StreamWorkflow.passed(context, stream, ReconcileSteps.Step.CONFIG_MAPS);
        return result;
    }
}
