package dev.pulse.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.v1alpha1.common.PipelineStatus;
import org.junit.jupiter.api.Test;

/** The restart count through a life: first start, two restarts, an upgrade, a suspend and a resume. */
class PipelineRestartsTest {
    private static final String S1 = "2026-01-01T10:00:00Z";
    private static final String S2 = "2026-01-01T10:05:00Z";
    private static final String S3 = "2026-01-01T10:09:00Z";
    private static final String S4 = "2026-01-01T11:00:00Z";
    private static final String S5 = "2026-01-01T12:00:00Z";

    private static PipelineObservation seen(String lifecycle, String job, String reconciledHash, String start) {
        return new PipelineObservation("p", PipelineObservation.Presence.PRESENT, lifecycle, job, reconciledHash, false, null,
                new PipelineObservation.Reconciled(1L, 1L, "DEPLOYED", reconciledHash, false), start);
    }

    /** The status' pipeline figures after the observation, as the factories write them. */
    private static PipelineStatus after(PipelineStatus previous, PipelineObservation o) {
        PipelineStatus next = new PipelineStatus();
        next.setLifecycleState(o.lifecycleState());
        next.setReconciledPlanHash(o.reconciledPlanHash());
        PipelineRestarts.of(previous, o).applyTo(next);
        return next;
    }

    @Test
    void countsNewStartsOfTheSamePlanAndStartsAgainAfterAnUpgradeOrAResume() {
        PipelineStatus s = after(null, seen("DEPLOYED", "RECONCILING", "h1", null));
        assertThat(s.getRestarts()).isNull();
        s = after(s, seen("STABLE", "RUNNING", "h1", S1));
        assertThat(s.getJobStartTime()).isEqualTo(S1);
        assertThat(s.getRestarts()).isZero();
        assertThat(after(s, seen("STABLE", "RUNNING", "h1", S1)).getRestarts()).as("nothing new").isZero();

        // the job failed and was started again, twice
        s = after(s, seen("FAILED", "FAILED", "h1", S1));
        s = after(s, seen("DEPLOYED", "RUNNING", "h1", S2));
        assertThat(s.getRestarts()).isEqualTo(1);
        s = after(s, seen("STABLE", "RUNNING", "h1", S3));
        assertThat(s.getRestarts()).isEqualTo(2);
        assertThat(s.getJobStartTime()).isEqualTo(S3);

        // an upgrade: the old job is still reported under the new plan, then the new job starts: 0, not a restart
        s = after(s, seen("UPGRADING", "RUNNING", "h2", S3));
        assertThat(s.getRestarts()).isZero();
        assertThat(s.getJobStartTime()).isNull();
        s = after(s, seen("DEPLOYED", "RUNNING", "h2", S4));
        assertThat(s.getRestarts()).isZero();
        assertThat(s.getJobStartTime()).isEqualTo(S4);

        // suspended, then resumed: the new job is the baseline
        s = after(s, seen("SUSPENDED", "FINISHED", "h2", S4));
        assertThat(s.getRestarts()).isZero();
        s = after(s, seen("DEPLOYED", "RECONCILING", "h2", S4));
        assertThat(s.getRestarts()).isZero();
        s = after(s, seen("DEPLOYED", "RUNNING", "h2", S5));
        assertThat(s.getRestarts()).isZero();
        assertThat(s.getJobStartTime()).isEqualTo(S5);
    }
}
