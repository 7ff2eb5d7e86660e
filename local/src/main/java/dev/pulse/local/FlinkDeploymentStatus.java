package dev.pulse.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import dev.pulse.testsupport.ConflictRetry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.utils.SpecUtils;

/**
 * A FlinkDeployment's status the way the Flink operator writes it: {@code lifecycleState},
 * {@code jobManagerDeploymentStatus}, {@code jobStatus}, {@code error}, {@code observedGeneration}
 * and {@code reconciliationStatus}, through the status subresource and only when it changed (the
 * times aside). Like the Flink operator ({@code ReconciliationStatus.serializeAndSetLastReconciledSpec}),
 * {@code observedGeneration} and {@code lastReconciledSpec} (the spec with its
 * {@code resource_metadata}, as JSON text) are those of the spec the job was started from, not of
 * whatever the spec is now.
 */
final class FlinkDeploymentStatus {
    private static final ResourceDefinitionContext FLINK_DEPLOYMENTS = PulseKinds.FLINK_DEPLOYMENT.context();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final Progress progress;

    FlinkDeploymentStatus(KubernetesClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    /**
     * @param fd the FlinkDeployment as it was when the Flink operator acted on it: its generation
     *     and spec are reported as reconciled
     */
    void write(FlinkDeployment fd, String lifecycle, String jobState, String error, FlinkJob job) {
        String ns = fd.getMetadata().getNamespace();
        String name = fd.getMetadata().getName();
        try {
            // a write that loses a conflict with the operator's own writes is read and made again
            ConflictRetry.retry(() -> {
                writeOnce(fd, lifecycle, jobState, error, job);
                return null;
            });
        } catch (KubernetesClientException e) {
            // never silently: a job whose status is not written would look not running forever
            progress.error("flink", "status of FlinkDeployment " + ns + "/" + name + " not written: " + e.getMessage());
        }
    }

    private void writeOnce(FlinkDeployment fd, String lifecycle, String jobState, String error, FlinkJob job) {
        String ns = fd.getMetadata().getNamespace();
        String name = fd.getMetadata().getName();
        GenericKubernetesResource current = client.genericKubernetesResources(FLINK_DEPLOYMENTS).inNamespace(ns).withName(name).get();
        if (current == null) {
            return;
        }
        Map<String, Object> previous = status(current);
        Map<String, Object> jobStatus = new LinkedHashMap<>();
        jobStatus.put("jobName", "pulse " + name);
        if (job.jobId != null) {
            jobStatus.put("jobId", job.jobId);
        }
        jobStatus.put("state", jobState);
        if (job.startedAt > 0) {
            jobStatus.put("startTime", Long.toString(job.startedAt));
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("lifecycleState", lifecycle);
        status.put("jobManagerDeploymentStatus", switch (lifecycle) {
            case "SUSPENDED" -> "MISSING";
            case "FAILED" -> "ERROR";
            case "DEPLOYED" -> "DEPLOYING";
            default -> "READY";
        });
        status.put("jobStatus", jobStatus);
        if (error != null) {
            status.put("error", error);
        }
        status.put("observedGeneration", fd.getMetadata().getGeneration());
        Map<String, Object> reconciliation = new LinkedHashMap<>();
        reconciliation.put("state", "DEPLOYED");
        reconciliation.put("lastReconciledSpec", SpecUtils.writeSpecWithMeta(fd.getSpec(), fd));
        status.put("reconciliationStatus", reconciliation);
        Map<String, Object> withoutTimes = new LinkedHashMap<>(status);
        if (previous != null && sameStatus(previous, withoutTimes)) {
            return;
        }
        jobStatus.put("updateTime", Long.toString(System.currentTimeMillis()));
        reconciliation.put("reconciliationTimestamp", System.currentTimeMillis());
        current.setAdditionalProperty("status", status);
        client.genericKubernetesResources(FLINK_DEPLOYMENTS).inNamespace(ns).resource(current).updateStatus();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(GenericKubernetesResource r) {
        Object s = r.getAdditionalProperties().get("status");
        return s instanceof Map ? (Map<String, Object>) s : null;
    }

    @SuppressWarnings("unchecked")
    private static boolean sameStatus(Map<String, Object> previous, Map<String, Object> next) {
        Map<String, Object> p = new LinkedHashMap<>(previous);
        if (p.get("jobStatus") instanceof Map<?, ?> js) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) js);
            copy.remove("updateTime");
            p.put("jobStatus", copy);
        }
        if (p.get("reconciliationStatus") instanceof Map<?, ?> rs) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) rs);
            copy.remove("reconciliationTimestamp");
            p.put("reconciliationStatus", copy);
        }
        return JSON.valueToTree(p).equals(JSON.valueToTree(next));
    }
}
