package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;
import lombok.NoArgsConstructor;

/** What the operator observed of the pipeline that runs a resource. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineStatus {
    @JsonPropertyDescription("Name of the FlinkDeployment that runs this resource.")
    private String flinkDeployment;

    @JsonPropertyDescription("The FlinkDeployment's lifecycle state (e.g. STABLE, DEPLOYED, SUSPENDED, FAILED).")
    private String lifecycleState;

    @JsonPropertyDescription("The Flink job's state (e.g. RUNNING, FAILED, FINISHED).")
    private String jobState;

    @JsonPropertyDescription("Content hash of the PipelinePlan the pipeline was given.")
    private String planHash;

    @JsonPropertyDescription("Plan hash of the spec the Flink operator last reconciled (its status.reconciliationStatus.lastReconciledSpec): "
            + "the plan the job runs. PipelineRunning is True only when it is the current plan, status.observedGeneration of the "
            + "FlinkDeployment has reached its generation and the job is RUNNING.")
    private String reconciledPlanHash;

    @JsonPropertyDescription("Stable id of this analysis in the plan (kind, namespace, name and semantic hash).")
    private String analysisId;

    @JsonPropertyDescription("When the running job started (RFC 3339), as the Flink operator reports it (status.jobStatus.startTime); "
            + "absent while no job of the current plan has started.")
    private String jobStartTime;

    @JsonPropertyDescription("How many times the job of the current plan started again without a spec change (a failed job "
            + "resubmitted, a JobManager failover), counted from the FlinkDeployment's job start time; 0 after each new plan and "
            + "each resume. Restarts of failed tasks inside a running job are Flink's numRestarts metric, not counted here.")
    private Long restarts;
}
