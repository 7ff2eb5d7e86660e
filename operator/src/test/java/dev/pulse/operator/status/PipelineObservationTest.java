package dev.pulse.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.render.Labels;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobState;
import org.apache.flink.kubernetes.operator.api.status.ReconciliationState;
import org.apache.flink.kubernetes.operator.api.utils.SpecUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineObservationTest {
    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "STABLE,     RUNNING,   false, True,    Running",
        "DEPLOYED,   RUNNING,   false, True,    Running",
        "SUSPENDED,  -,         true,  False,   Suspended",
        "STABLE,     SUSPENDED, true,  False,   Suspended",
        "FAILED,     -,         false, False,   JobFailed",
        "STABLE,     FAILED,    false, False,   JobFailed",
        "UPGRADING,  RUNNING,   false, False,   Upgrading",
        "DEPLOYED,   CREATED,   false, False,   Deploying",
        "ROLLED_BACK, RUNNING,  false, False,   RolledBack",
        "-,          -,         false, Unknown, PipelinePending",
        "-,          -,         true,  False,   Suspended",
    })
    void lifecycleAndJobStateGivePipelineRunning(String lifecycle, String job, boolean suspend, String status, String reason) {
        var c = new PipelineObservation("p", PipelineObservation.Presence.PRESENT, lifecycle, job, "h", suspend, null,
                new PipelineObservation.Reconciled(3L, 3L, "DEPLOYED", "h", suspend)).pipelineRunning();
        assertThat(c.getStatus()).isEqualTo(status);
        assertThat(c.getReason()).isEqualTo(reason);
    }

    /** Running the current plan needs all of: the latest generation reconciled, the wanted plan in that spec, no upgrade, a RUNNING job. */
    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        // generation, observed, reconciliation, reconciled hash, job,       status, reason
        "3,            3,        DEPLOYED,       want,            RUNNING,   True,   Running",
        "3,            -,        DEPLOYED,       want,            RUNNING,   True,   Running",
        "4,            3,        DEPLOYED,       want,            RUNNING,   False,  Upgrading",
        "3,            3,        DEPLOYED,       old,             RUNNING,   False,  Upgrading",
        "3,            3,        UPGRADING,      want,            RUNNING,   False,  Upgrading",
        "3,            3,        DEPLOYED,       want,            RECONCILING, False, Deploying",
        "3,            3,        -,              -,               RUNNING,   False,  Deploying",
    })
    void theCurrentPlanRunsOnlyWhenTheFlinkOperatorHasReconciledItAndTheJobRuns(long generation, Long observed, String state,
            String reconciledHash, String job, String status, String reason) {
        var reconciled = new PipelineObservation.Reconciled(generation, observed, state, reconciledHash, false);
        var c = new PipelineObservation("p", PipelineObservation.Presence.PRESENT, "STABLE", job, "want", false, null, reconciled)
                .pipelineRunning("want");
        assertThat(c.getStatus()).isEqualTo(status);
        assertThat(c.getReason()).isEqualTo(reason);
    }

    @Test
    void theReconciledSpecIsReadAsTheFlinkOperatorWritesIt() {
        FlinkDeployment fd = new FlinkDeployment();
        fd.getMetadata().setName("p");
        fd.getMetadata().setGeneration(5L);
        FlinkDeploymentSpec spec = new FlinkDeploymentSpec();
        spec.setPodTemplate(new PodTemplateSpecBuilder().withNewMetadata().addToAnnotations(Labels.PLAN_HASH, "abc").endMetadata().build());
        spec.setJob(new JobSpec());
        spec.getJob().setState(JobState.RUNNING);
        fd.setSpec(spec);
        String written = SpecUtils.writeSpecWithMeta(spec, fd);
        fd.getStatus().getReconciliationStatus().setLastReconciledSpec(written);
        fd.getStatus().getReconciliationStatus().setState(ReconciliationState.DEPLOYED);
        fd.getStatus().setObservedGeneration(4L);

        var r = PipelineObservation.of(fd).reconciled();
        assertThat(written).contains("resource_metadata");
        assertThat(r.planHash()).isEqualTo("abc");
        assertThat(r.generation()).isEqualTo(5L);
        assertThat(r.observedGeneration()).isEqualTo(4L);
        assertThat(r.state()).isEqualTo("DEPLOYED");
        assertThat(r.suspended()).isFalse();
    }
}
