package dev.pulse.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.PulseStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StreamStatusFactoryTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T11:00:00Z");
    private static final PipelineObservation RUNNING = new PipelineObservation("s-pipeline",
            PipelineObservation.Presence.PRESENT, "STABLE", "RUNNING", "h1", false, null);

    private static StreamStatusFactory at(Instant now) {
        return new StreamStatusFactory(Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void readyWhenValidAndRunningTheCurrentPlan() {
        PulseStatus s = at(T0).status(null, 1, new StreamObservation(Validity.VALID, null, null, null, "h1", RUNNING));
        assertThat(s.condition(Condition.READY).orElseThrow().getStatus()).isEqualTo("True");
        assertThat(s.getPipeline().getPlanHash()).isEqualTo("h1");
        assertThat(at(T1).status(s, 1, new StreamObservation(Validity.VALID, null, null, null, "h1", RUNNING))).isEqualTo(s);
    }

    @Test
    void aNewPlanNotYetOnTheFlinkDeploymentIsPlanPending() {
        PulseStatus s = at(T0).status(null, 2, new StreamObservation(Validity.VALID, null, null, null, "h2", RUNNING));
        assertThat(s.condition(Condition.READY).orElseThrow().getReason()).isEqualTo("PlanPending");
    }

    @Test
    void blockedAndInvalidStreamsSayWhy() {
        PulseStatus blocked = at(T0).status(null, 1, new StreamObservation(Validity.VALID, null, "TemplateNotFound",
                "no pipeline template 'big'", "h1", RUNNING));
        assertThat(blocked.condition(Condition.READY).orElseThrow().getReason()).isEqualTo("TemplateNotFound");
        PulseStatus invalid = at(T1).status(blocked, 2, new StreamObservation(Validity.INVALID_SPEC,
                "spec.actorField: must differ from spec.eventTypeField", null, null, null, RUNNING));
        assertThat(invalid.condition(Condition.VALID).orElseThrow().getReason()).isEqualTo("InvalidSpec");
        assertThat(invalid.condition(Condition.READY).orElseThrow().getMessage()).startsWith("spec.actorField");
        // Ready was False before and is False now: its transition time stays
        assertThat(invalid.condition(Condition.READY).orElseThrow().getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void aFailedReconcileTouchesOnlyReady() {
        PulseStatus ok = at(T0).status(null, 1, new StreamObservation(Validity.VALID, null, null, null, "h1", RUNNING));
        PulseStatus failed = at(T1).failed(ok, 1, "ReconcileFailed", "409 Conflict");
        assertThat(failed.condition(Condition.READY).orElseThrow().getReason()).isEqualTo("ReconcileFailed");
        assertThat(failed.condition(Condition.READY).orElseThrow().getLastTransitionTime()).isEqualTo("2026-01-01T11:00:00Z");
        assertThat(failed.condition(Condition.VALID)).isEqualTo(ok.condition(Condition.VALID));
        assertThat(failed.getPipeline()).isEqualTo(ok.getPipeline());
    }
}
