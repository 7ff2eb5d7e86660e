package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.common.PipelineStatus;
import java.util.Objects;

/**
 * {@code status.pipeline.jobStartTime} and {@code restarts}: the job of the current plan counts a
 * restart each time its start time changes while the plan it runs stays the same (the Flink
 * operator resubmitted a failed job, a JobManager failed over; in the local stack, the stand-in
 * restarted a job whose process died). A new plan or a resume starts again from 0, its first job
 * running job being the baseline. Several restarts between two observations count as one. Pure.
 *
 * @param jobStartTime the start counted from, or null while no job of the current plan has started
 * @param restarts restarts since then, or null when the pipeline reports no job
 */
public record PipelineRestarts(String jobStartTime, Long restarts) {

    public static PipelineRestarts of(PipelineStatus previous, PipelineObservation now) {
        if (now.presence() != PipelineObservation.Presence.PRESENT) {
            return new PipelineRestarts(null, null);
        }
        String start = now.jobStartTime();
        boolean sameDeployment = previous != null
                && Objects.equals(previous.getReconciledPlanHash(), now.reconciledPlanHash())
                && !"SUSPENDED".equals(previous.getLifecycleState()) && !"SUSPENDED".equals(now.lifecycleState());
        if (!sameDeployment) {
            // a new plan, or a suspend: the job reported now may still be the old one; the baseline is the first running new one
            boolean oldJob = previous != null && start != null && start.equals(previous.getJobStartTime());
            return new PipelineRestarts(oldJob || !running(now) ? null : start, start == null ? null : 0L);
        }
        long before = previous.getRestarts() == null ? 0 : previous.getRestarts();
        if (start == null) {
            return new PipelineRestarts(previous.getJobStartTime(), previous.getRestarts());
        }
        if (previous.getJobStartTime() == null) {
            return new PipelineRestarts(running(now) ? start : null, before);
        }
        return new PipelineRestarts(start, start.equals(previous.getJobStartTime()) ? before : before + 1);
    }

    private static boolean running(PipelineObservation o) {
        return "RUNNING".equals(o.jobState());
    }

    /** Writes both into the status' pipeline figures. */
    void applyTo(PipelineStatus pipeline) {
        pipeline.setJobStartTime(jobStartTime);
        pipeline.setRestarts(restarts);
    }
}
