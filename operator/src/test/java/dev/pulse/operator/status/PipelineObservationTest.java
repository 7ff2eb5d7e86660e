package dev.pulse.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

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
        "UPGRADING,  RUNNING,   false, False,   Deploying",
        "DEPLOYED,   CREATED,   false, False,   Deploying",
        "ROLLED_BACK, RUNNING,  false, False,   RolledBack",
        "-,          -,         false, Unknown, PipelinePending",
        "-,          -,         true,  False,   Suspended",
    })
    void lifecycleAndJobStateGivePipelineRunning(String lifecycle, String job, boolean suspend, String status, String reason) {
        var c = new PipelineObservation("p", PipelineObservation.Presence.PRESENT, lifecycle, job, "h", suspend, null).pipelineRunning();
        assertThat(c.getStatus()).isEqualTo(status);
        assertThat(c.getReason()).isEqualTo(reason);
    }
}
