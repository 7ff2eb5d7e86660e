package dev.pulse.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.utils.SpecUtils;

/**
 * Writes a FlinkDeployment's status as the Flink Kubernetes Operator does, through the status
 * subresource: lifecycle and job state, and, for the spec it has acted on, {@code observedGeneration}
 * and {@code reconciliationStatus.lastReconciledSpec} (its own serialization, with
 * {@code resource_metadata}). Raw JSON, because FlinkDeploymentStatus serializes a lifecycleState
 * recomputed from its reconciliation status rather than the one set.
 */
public final class FlinkOperatorStatus {
    private final KubernetesClient client;

    public FlinkOperatorStatus(KubernetesClient client) {
        this.client = client;
    }

    /** The Flink operator has acted on the FlinkDeployment's current spec and reports these states. */
    public void reconciled(String ns, String name, String lifecycle, String job) {
        reconciled(ns, name, lifecycle, job, null);
    }

    /** As {@link #reconciled(String, String, String, String)}, with the job's start time when given. */
    public void reconciled(String ns, String name, String lifecycle, String job, Instant started) {
        FlinkDeployment current = client.resources(FlinkDeployment.class).inNamespace(ns).withName(name).get();
        write(ns, name, lifecycle, job, started, current);
    }

    /**
     * The Flink operator reports these states for the spec it acted on before: {@code acted}, the
     * FlinkDeployment as it was then (its generation and spec), whatever the spec is now.
     */
    public void reconciledEarlier(FlinkDeployment acted, String lifecycle, String job) {
        write(acted.getMetadata().getNamespace(), acted.getMetadata().getName(), lifecycle, job, null, acted);
    }

    private void write(String ns, String name, String lifecycle, String job, Instant started, FlinkDeployment acted) {
        var resources = client.genericKubernetesResources("flink.apache.org/v1beta1", "FlinkDeployment").inNamespace(ns);
        var current = resources.withName(name).get();
        Map<String, Object> jobStatus = new LinkedHashMap<>();
        jobStatus.put("state", job);
        if (started != null) {
            jobStatus.put("startTime", Long.toString(started.toEpochMilli()));
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("lifecycleState", lifecycle);
        status.put("jobStatus", jobStatus);
        status.put("observedGeneration", acted.getMetadata().getGeneration());
        status.put("reconciliationStatus", Map.of("state", "DEPLOYED", "lastReconciledSpec", SpecUtils.writeSpecWithMeta(acted.getSpec(), acted)));
        current.setAdditionalProperty("status", status);
        resources.resource(current).updateStatus();
    }
}
