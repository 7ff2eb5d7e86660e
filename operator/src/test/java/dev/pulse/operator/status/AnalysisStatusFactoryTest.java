package dev.pulse.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.v1alpha1.common.AnalysisStatus;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.PulseStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class AnalysisStatusFactoryTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:05:00Z");
    private static final PipelineObservation RUNNING = new PipelineObservation("shop-events-pipeline",
            PipelineObservation.Presence.PRESENT, "STABLE", "RUNNING", "h1", false, null);
    private static final PipelineObservation PENDING = PipelineObservation.missing("shop-events-pipeline");

    private static AnalysisStatusFactory at(Instant now) {
        return new AnalysisStatusFactory(Clock.fixed(now, ZoneOffset.UTC));
    }

    private static AnalysisObservation valid(PipelineObservation pipeline) {
        return new AnalysisObservation(Validity.VALID, null, "mt-1", "mt-1", pipeline);
    }

    private static Condition condition(PulseStatus s, String type) {
        return s.condition(type).orElseThrow();
    }

    @Test
    void unchangedObservationGivesAnEqualStatusSoNothingIsPatched() {
        AnalysisStatus first = at(T0).status(null, 3, valid(RUNNING));
        AnalysisStatus again = at(T1).status(first, 3, valid(RUNNING));

        assertThat(again).isEqualTo(first);
        assertThat(condition(again, Condition.READY).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(condition(again, Condition.READY).getStatus()).isEqualTo("True");
        assertThat(again.getObservedGeneration()).isEqualTo(3);
        assertThat(again.getPipeline().getAnalysisId()).isEqualTo("mt-1");
        assertThat(again.getPipeline().getPlanHash()).isEqualTo("h1");
    }

    @Test
    void lastTransitionTimeMovesOnlyForConditionsWhoseStatusFlipped() {
        AnalysisStatus pending = at(T0).status(null, 1, valid(PENDING));
        assertThat(condition(pending, Condition.PIPELINE_RUNNING).getStatus()).isEqualTo("Unknown");
        assertThat(condition(pending, Condition.READY).getReason()).isEqualTo("PipelinePending");

        AnalysisStatus running = at(T1).status(pending, 1, valid(RUNNING));
        assertThat(condition(running, Condition.PIPELINE_RUNNING).getLastTransitionTime()).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(condition(running, Condition.READY).getLastTransitionTime()).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(condition(running, Condition.VALID).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void invalidSpecIsValidFalseAndReadyFalseWithTheCompilersMessage() {
        AnalysisStatus ok = at(T0).status(null, 1, valid(RUNNING));
        AnalysisStatus invalid = at(T1).status(ok, 2, new AnalysisObservation(Validity.INVALID_SPEC,
                "spec.where[0].field: no field 'nope' in EventStream 'shop-events'", null, "mt-1", RUNNING));

        Condition valid = condition(invalid, Condition.VALID);
        assertThat(valid.getStatus()).isEqualTo("False");
        assertThat(valid.getReason()).isEqualTo("InvalidSpec");
        assertThat(valid.getMessage()).startsWith("spec.where[0].field:");
        assertThat(valid.getObservedGeneration()).isEqualTo(2);
        assertThat(condition(invalid, Condition.READY).getReason()).isEqualTo("InvalidSpec");
        // the pipeline still runs the last valid version, and says so
        assertThat(condition(invalid, Condition.PIPELINE_RUNNING).getStatus()).isEqualTo("True");
        assertThat(condition(invalid, Condition.PIPELINE_RUNNING).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(invalid.getPipeline().getAnalysisId()).isEqualTo("mt-1");
    }

    @Test
    void aNewVersionNotYetInThePlanIsPlanPending() {
        AnalysisStatus s = at(T0).status(null, 2, new AnalysisObservation(Validity.VALID, null, "mt-2", "mt-1", RUNNING));
        assertThat(condition(s, Condition.READY).getReason()).isEqualTo("PlanPending");
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("False");
    }

    @Test
    void conditionsOfOtherProbesAndObservedFiguresAreKept() {
        AnalysisStatus previous = at(T0).status(null, 1, valid(RUNNING));
        var conditions = new ArrayList<>(previous.getConditions());
        conditions.add(new Condition(Condition.FRESH, "True", "Fresh", "ok", "2025-12-31T00:00:00Z", 1L));
        previous.setConditions(conditions);
        previous.setLag(new dev.pulse.api.v1alpha1.common.LagStatus());

        AnalysisStatus next = at(T1).status(previous, 1, valid(RUNNING));
        assertThat(next.condition(Condition.FRESH)).isPresent();
        assertThat(next.getLag()).isNotNull();
        assertThat(next).isEqualTo(previous);
    }

    @Test
    void aBlockedPipelineMakesAValidRunningAnalysisUnReadyWithTheStreamsReason() {
        AnalysisStatus ready = at(T0).status(null, 1, valid(RUNNING));
        AnalysisStatus blocked = at(T1).status(ready, 1, new AnalysisObservation(Validity.VALID, null, "mt-1", "mt-1", RUNNING,
                Reasons.EPHEMERAL_STATE, "pipeline shop-events-pipeline keeps its state where a pod replacement loses it"));
        Condition r = condition(blocked, Condition.READY);
        assertThat(r.getStatus()).isEqualTo("False");
        assertThat(r.getReason()).isEqualTo("EphemeralState");
        assertThat(r.getMessage()).startsWith("pipeline shop-events-pipeline");
        assertThat(r.getLastTransitionTime()).isEqualTo("2026-01-01T10:05:00Z");
        // valid, and the job that already runs still runs
        assertThat(condition(blocked, Condition.VALID).getStatus()).isEqualTo("True");
        assertThat(condition(blocked, Condition.PIPELINE_RUNNING).getStatus()).isEqualTo("True");
        // an invalid definition is told first
        AnalysisStatus invalid = at(T1).status(null, 1, new AnalysisObservation(Validity.INVALID_SPEC, "spec.window: required", null,
                null, RUNNING, Reasons.EPHEMERAL_STATE, "blocked"));
        assertThat(condition(invalid, Condition.READY).getReason()).isEqualTo("InvalidSpec");
    }

    @Test
    void flinkOperatorMissingIsAClearReason() {
        AnalysisStatus s = at(T0).status(null, 1, valid(PipelineObservation.flinkNotInstalled("p")));
        assertThat(condition(s, Condition.READY).getReason()).isEqualTo("FlinkOperatorNotInstalled");
        assertThat(condition(s, Condition.PIPELINE_RUNNING).getStatus()).isEqualTo("False");
    }
}
