package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.common.Condition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.api.v1alpha1.common.Reasons;
import dev.pulse.render.Labels;
import java.io.IOException;
import java.lang.reflect.Field;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.lifecycle.ResourceLifecycleState;
import org.apache.flink.kubernetes.operator.api.spec.JobState;
import org.apache.flink.kubernetes.operator.api.status.CommonStatus;

/**
 * What the operator saw of a pipeline's FlinkDeployment.
 *
 * @param flinkDeployment its name
 * @param presence whether the Flink operator is installed and the object exists
 * @param lifecycleState the Flink operator's lifecycle state (STABLE, DEPLOYED, SUSPENDED, FAILED, ...), or null
 * @param jobState the Flink job's state (RUNNING, FAILED, ...), or null
 * @param planHash the plan hash the FlinkDeployment was rendered with (its annotation: what the operator asked for), or null
 * @param suspendRequested whether its spec asks for the job to be suspended
 * @param error the Flink operator's error message, or null
 * @param reconciled what the Flink operator reports it has acted on, or null when it reports nothing yet
 * @param jobStartTime when the job started (RFC 3339, from {@code status.jobStatus.startTime}), or null
 */
public record PipelineObservation(String flinkDeployment, Presence presence, String lifecycleState, String jobState,
        String planHash, boolean suspendRequested, String error, Reconciled reconciled, String jobStartTime) {

    public PipelineObservation(String flinkDeployment, Presence presence, String lifecycleState, String jobState,
            String planHash, boolean suspendRequested, String error, Reconciled reconciled) {
        this(flinkDeployment, presence, lifecycleState, jobState, planHash, suspendRequested, error, reconciled, null);
    }

    /** Whether there is a FlinkDeployment to look at. */
    public enum Presence {
        FLINK_NOT_INSTALLED, MISSING, PRESENT
    }

    /**
     * What the Flink operator has reconciled, from the FlinkDeployment's status: it writes
     * {@code observedGeneration} and {@code reconciliationStatus.lastReconciledSpec} (the spec as
     * JSON, {@code {"spec": ..., "resource_metadata": ...}}) when it has acted on a spec, and
     * {@code reconciliationStatus.state} UPGRADING while an upgrade is under way.
     *
     * @param generation the FlinkDeployment's {@code metadata.generation}
     * @param observedGeneration {@code status.observedGeneration}, or null (older Flink operators)
     * @param state {@code status.reconciliationStatus.state} (DEPLOYED, UPGRADING, ROLLING_BACK, ROLLED_BACK), or null
     * @param planHash the plan hash on the pod template of the last reconciled spec, or null when there is none
     * @param suspended whether the last reconciled spec has {@code job.state: suspended}
     */
    public record Reconciled(Long generation, Long observedGeneration, String state, String planHash, boolean suspended) {
        private static final ObjectMapper JSON = new ObjectMapper();

        static Reconciled of(FlinkDeployment fd) {
            var status = fd.getStatus();
            var rs = status == null ? null : status.getReconciliationStatus();
            String spec = rs == null ? null : rs.getLastReconciledSpec();
            String hash = null;
            boolean suspended = false;
            if (spec != null && !spec.isBlank()) {
                try {
                    JsonNode root = JSON.readTree(spec);
                    JsonNode s = root.has("spec") ? root.get("spec") : root;
                    hash = s.path("podTemplate").path("metadata").path("annotations").path(Labels.PLAN_HASH).textValue();
                    suspended = "suspended".equalsIgnoreCase(s.path("job").path("state").asText(""));
                } catch (IOException | RuntimeException e) {
                    hash = null;
                }
            }
            return new Reconciled(fd.getMetadata().getGeneration(), status == null ? null : status.getObservedGeneration(),
                    rs == null || rs.getState() == null || spec == null ? null : rs.getState().name(), hash, suspended);
        }

        /** Whether the Flink operator has seen the FlinkDeployment's latest spec (unknown counts as seen). */
        boolean generationObserved() {
            return observedGeneration == null || generation == null || observedGeneration >= generation;
        }
    }

    public PipelineObservation(String flinkDeployment, Presence presence, String lifecycleState, String jobState, String planHash,
            boolean suspendRequested, String error) {
        this(flinkDeployment, presence, lifecycleState, jobState, planHash, suspendRequested, error, null);
    }

    public static PipelineObservation flinkNotInstalled(String name) {
        return new PipelineObservation(name, Presence.FLINK_NOT_INSTALLED, null, null, null, false, null);
    }

    public static PipelineObservation missing(String name) {
        return new PipelineObservation(name, Presence.MISSING, null, null, null, false, null);
    }

    public static PipelineObservation of(FlinkDeployment fd) {
        String name = fd.getMetadata().getName();
        String hash = fd.getMetadata().getAnnotations() == null ? null : fd.getMetadata().getAnnotations().get(Labels.PLAN_HASH);
        boolean suspend = fd.getSpec() != null && fd.getSpec().getJob() != null && fd.getSpec().getJob().getState() == JobState.SUSPENDED;
        var status = fd.getStatus();
        if (status == null) {
            return new PipelineObservation(name, Presence.PRESENT, null, null, hash, suspend, null);
        }
        ResourceLifecycleState lifecycle = reportedLifecycleState(status);
        String job = status.getJobStatus() == null || status.getJobStatus().getState() == null ? null : status.getJobStatus().getState().name();
        return new PipelineObservation(name, Presence.PRESENT, lifecycle == null ? null : lifecycle.name(), job, hash, suspend,
                status.getError(), Reconciled.of(fd), startTime(status.getJobStatus()));
    }

    /** The job's start (epoch milliseconds in the Flink operator's status) as RFC 3339, or null. */
    private static String startTime(org.apache.flink.kubernetes.operator.api.status.JobStatus job) {
        String start = job == null ? null : job.getStartTime();
        try {
            return start == null || start.isBlank() ? null : java.time.Instant.ofEpochMilli(Long.parseLong(start.trim())).toString();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The plan hash of the spec the Flink operator last reconciled, or null. */
    public String reconciledPlanHash() {
        return reconciled == null ? null : reconciled.planHash();
    }

    /**
     * Whether a job of this pipeline may be reading its topic now: a FlinkDeployment whose job is
     * not known to have stopped (suspended, finished, cancelled or failed). A FlinkDeployment that
     * no Flink operator has reported on yet counts as not reading.
     */
    public boolean reading() {
        if (presence != Presence.PRESENT || (lifecycleState == null && jobState == null)) {
            return false;
        }
        if ("SUSPENDED".equals(lifecycleState) || "FAILED".equals(lifecycleState)) {
            return false;
        }
        return jobState == null || !java.util.Set.of("FINISHED", "CANCELED", "FAILED", "SUSPENDED").contains(jobState);
    }

    /** The PipelineRunning condition for the plan the FlinkDeployment's own annotation names. */
    public Condition pipelineRunning() {
        return pipelineRunning(planHash);
    }

    /**
     * The PipelineRunning condition: True only when the Flink operator has reconciled the
     * FlinkDeployment's latest generation, that spec carries {@code wantedPlanHash}, no upgrade is
     * under way and the job is RUNNING; otherwise the reason and message say which is missing.
     *
     * @param wantedPlanHash the job hash of the plan that should run, or null for the one the FlinkDeployment names
     */
    public Condition pipelineRunning(String wantedPlanHash) {
        String type = Condition.PIPELINE_RUNNING;
        switch (presence) {
            case FLINK_NOT_INSTALLED:
                return Conditions.of(type, Conditions.FALSE, Reasons.FLINK_OPERATOR_NOT_INSTALLED,
                        "the cluster has no FlinkDeployment resource type: install the Flink Kubernetes Operator");
            case MISSING:
                return Conditions.of(type, Conditions.UNKNOWN, Reasons.PIPELINE_PENDING, "FlinkDeployment " + flinkDeployment + " does not exist yet");
            default:
                break;
        }
        String wanted = wantedPlanHash == null ? planHash : wantedPlanHash;
        String state = "FlinkDeployment " + flinkDeployment + ": lifecycle " + orNone(lifecycleState) + ", job " + orNone(jobState);
        if ("FAILED".equals(lifecycleState) || "FAILED".equals(jobState)) {
            return Conditions.of(type, Conditions.FALSE, Reasons.JOB_FAILED, error == null ? state : state + ": " + error);
        }
        if ("ROLLED_BACK".equals(lifecycleState) || (reconciled != null && "ROLLED_BACK".equals(reconciled.state()))) {
            return Conditions.of(type, Conditions.FALSE, Reasons.ROLLED_BACK, error == null ? state : state + ": " + error);
        }
        if ("SUSPENDED".equals(lifecycleState) || "SUSPENDED".equals(jobState) || suspendRequested) {
            return Conditions.of(type, Conditions.FALSE, Reasons.SUSPENDED,
                    suspendRequested ? state + " (spec.job.state: suspended)" : state);
        }
        if (lifecycleState == null && jobState == null) {
            return Conditions.of(type, Conditions.UNKNOWN, Reasons.PIPELINE_PENDING,
                    "FlinkDeployment " + flinkDeployment + " has no status from the Flink operator yet");
        }
        if (reconciled == null || reconciled.planHash() == null) {
            return Conditions.of(type, Conditions.FALSE, Reasons.DEPLOYING,
                    state + "; the Flink operator has not reported a reconciled spec (status.reconciliationStatus.lastReconciledSpec) yet");
        }
        if (!reconciled.generationObserved()) {
            return Conditions.of(type, Conditions.FALSE, Reasons.UPGRADING, state + "; the Flink operator has not reconciled generation "
                    + reconciled.generation() + " yet (status.observedGeneration " + reconciled.observedGeneration() + ")");
        }
        if (wanted != null && !wanted.equals(reconciled.planHash())) {
            return Conditions.of(type, Conditions.FALSE, Reasons.UPGRADING, state + "; the Flink operator has reconciled plan "
                    + shortHash(reconciled.planHash()) + ", not plan " + shortHash(wanted) + " yet");
        }
        if ("UPGRADING".equals(reconciled.state()) || "ROLLING_BACK".equals(reconciled.state()) || "UPGRADING".equals(lifecycleState)) {
            return Conditions.of(type, Conditions.FALSE, Reasons.UPGRADING, state + "; reconciliation " + orNone(reconciled.state()));
        }
        if (("STABLE".equals(lifecycleState) || "DEPLOYED".equals(lifecycleState)) && "RUNNING".equals(jobState)) {
            return Conditions.of(type, Conditions.TRUE, Reasons.RUNNING, state + "; plan " + shortHash(reconciled.planHash()));
        }
        return Conditions.of(type, Conditions.FALSE, Reasons.DEPLOYING, state + "; plan " + shortHash(reconciled.planHash()));
    }

    /** Whether the PipelineRunning condition's reason is a failure (PipelineFailed) rather than a pipeline on its way. */
    public static boolean failed(Condition running) {
        return Reasons.JOB_FAILED.equals(running.getReason()) || Reasons.ROLLED_BACK.equals(running.getReason());
    }

    private static String shortHash(String h) {
        return h == null ? "none" : h.length() > 12 ? h.substring(0, 12) : h;
    }

    private static String orNone(String s) {
        return s == null ? "unknown" : s;
    }

    /**
     * The lifecycle state the Flink operator wrote. {@link CommonStatus#getLifecycleState()}
     * recomputes it from the reconciliation status instead of returning the stored field (and a
     * FlinkDeployment read without status carries a default one, which computes to CREATED); the
     * stored field is what the Flink operator reported and what kubectl shows.
     */
    static ResourceLifecycleState reportedLifecycleState(CommonStatus<?> status) {
        try {
            return LIFECYCLE_FIELD == null ? null : (ResourceLifecycleState) LIFECYCLE_FIELD.get(status);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    private static final Field LIFECYCLE_FIELD = lifecycleField();

    private static Field lifecycleField() {
        try {
            Field f = CommonStatus.class.getDeclaredField("lifecycleState");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
