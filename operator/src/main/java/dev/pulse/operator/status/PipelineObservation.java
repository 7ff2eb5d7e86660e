package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.operator.render.Labels;
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
 * @param planHash the plan hash the FlinkDeployment was rendered with, or null
 * @param suspendRequested whether its spec asks for the job to be suspended
 * @param error the Flink operator's error message, or null
 */
public record PipelineObservation(String flinkDeployment, Presence presence, String lifecycleState, String jobState,
        String planHash, boolean suspendRequested, String error) {

    /** Whether there is a FlinkDeployment to look at. */
    public enum Presence {
        FLINK_NOT_INSTALLED, MISSING, PRESENT
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
        return new PipelineObservation(name, Presence.PRESENT, lifecycle == null ? null : lifecycle.name(), job, hash, suspend, status.getError());
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

    /** The PipelineRunning condition this observation gives. */
    public Condition pipelineRunning() {
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
        String state = "FlinkDeployment " + flinkDeployment + ": lifecycle " + orNone(lifecycleState) + ", job " + orNone(jobState);
        if ("FAILED".equals(lifecycleState) || "FAILED".equals(jobState)) {
            return Conditions.of(type, Conditions.FALSE, Reasons.JOB_FAILED, error == null ? state : state + ": " + error);
        }
        if ("SUSPENDED".equals(lifecycleState) || "SUSPENDED".equals(jobState)) {
            return Conditions.of(type, Conditions.FALSE, Reasons.SUSPENDED, state);
        }
        if (("STABLE".equals(lifecycleState) || "DEPLOYED".equals(lifecycleState)) && "RUNNING".equals(jobState)) {
            return Conditions.of(type, Conditions.TRUE, Reasons.RUNNING, state);
        }
        if ("ROLLED_BACK".equals(lifecycleState)) {
            return Conditions.of(type, Conditions.FALSE, Reasons.ROLLED_BACK, error == null ? state : state + ": " + error);
        }
        if (lifecycleState == null && jobState == null) {
            return Conditions.of(type, suspendRequested ? Conditions.FALSE : Conditions.UNKNOWN,
                    suspendRequested ? Reasons.SUSPENDED : Reasons.PIPELINE_PENDING,
                    "FlinkDeployment " + flinkDeployment + " has no status from the Flink operator yet");
        }
        return Conditions.of(type, Conditions.FALSE, Reasons.DEPLOYING, state);
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
