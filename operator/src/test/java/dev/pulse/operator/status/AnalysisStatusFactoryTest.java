package dev.pulse.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.v1alpha1.common.AnalysisStatus;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.PulseStatus;
import dev.pulse.api.v1alpha1.common.Reasons;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class AnalysisStatusFactoryTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:05:00Z");
    private static final PipelineObservation RUNNING = new PipelineObservation("shop-events-pipeline",
            PipelineObservation.Presence.PRESENT, "STABLE", "RUNNING", "h1", false, null,
            new PipelineObservation.Reconciled(1L, 1L, "DEPLOYED", "h1", false));
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
        assertThat(condition(pending, Condition.READY).getReason()).isEqualTo("PipelineNotRunning");
        assertThat(condition(pending, Condition.READY).getMessage()).startsWith("PipelinePending: ");

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
        assertThat(condition(s, Condition.READY).getReason()).isEqualTo("PipelineNotRunning");
        assertThat(condition(s, Condition.READY).getMessage()).startsWith("PlanPending: ");
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("False");
    }

    private static final PipelineObservation FAILED = new PipelineObservation("shop-events-pipeline",
            PipelineObservation.Presence.PRESENT, "FAILED", "FAILED", "h1", false, "OutOfMemoryError",
            new PipelineObservation.Reconciled(1L, 1L, "DEPLOYED", "h1", false));
    private static final PipelineObservation OLD_PLAN_RUNNING = new PipelineObservation("shop-events-pipeline",
            PipelineObservation.Presence.PRESENT, "STABLE", "RUNNING", "h2", false, null,
            new PipelineObservation.Reconciled(2L, 1L, "DEPLOYED", "h1", false));

    /** When several causes hold, Ready names the first in the order docs/operations.md gives. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(nullValues = "-", value = {
        // validity,    current, pipeline,         serving down, Ready reason
        "INVALID_SPEC,  -,       FAILED,           down,         InvalidSpec",
        "VALID,         mt-2,    FAILED,           down,         ServingStoreUnavailable",
        "VALID,         mt-2,    FAILED,           -,            PipelineFailed",
        "VALID,         mt-2,    RUNNING,          -,            PipelineNotRunning",
        "VALID,         mt-1,    OLD_PLAN_RUNNING, -,            PipelineNotRunning",
        "VALID,         mt-1,    RUNNING,          -,            Ready",
    })
    void readyNamesTheFirstCauseInTheOrderDocsOperationsGives(Validity validity, String current, String pipeline, String serving, String reason) {
        PipelineObservation p = switch (pipeline) {
            case "FAILED" -> FAILED;
            case "OLD_PLAN_RUNNING" -> OLD_PLAN_RUNNING;
            default -> RUNNING;
        };
        AnalysisObservation o = new AnalysisObservation(validity, validity == Validity.VALID ? null : "spec.window: required",
                validity == Validity.VALID ? current : null, "mt-1", p).with("h2".equals(p.planHash()) ? "h2" : "h1",
                serving == null ? null : "cannot connect to the serving database (SQLState 08001)");
        assertThat(condition(at(T0).status(null, 1, o), Condition.READY).getReason()).isEqualTo(reason);
    }

    @Test
    void theOldJobStillRunningWhileTheFlinkOperatorLagsIsNotReady() {
        AnalysisStatus s = at(T0).status(null, 1, valid(OLD_PLAN_RUNNING).with("h2", null));
        assertThat(condition(s, Condition.PIPELINE_RUNNING).getReason()).isEqualTo("Upgrading");
        assertThat(condition(s, Condition.PIPELINE_RUNNING).getMessage()).contains("has not reconciled generation 2 yet");
        assertThat(condition(s, Condition.READY).getMessage()).startsWith("Upgrading: ");
        assertThat(s.getPipeline().getReconciledPlanHash()).isEqualTo("h1");
        assertThat(s.getPipeline().getPlanHash()).isEqualTo("h2");
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

    @Test
    void aResultTopicStrimziRefusesShowsInTopicReadyAndGoesWithTheOutputTopic() {
        var refused = new TopicObservation("growth.orders.results", "False", "KafkaError", "replication factor 3 is larger than the 1 brokers");
        AnalysisStatus s = at(T0).status(null, 1, valid(RUNNING).with("h1", null).withTopics(java.util.List.of(refused)));
        assertThat(condition(s, Condition.TOPIC_READY).getReason()).isEqualTo("KafkaError");
        assertThat(condition(s, Condition.TOPIC_READY).getMessage())
                .isEqualTo("KafkaTopic growth.orders.results is not Ready: replication factor 3 is larger than the 1 brokers");
        // the API still serves the analysis
        assertThat(condition(s, Condition.READY).getStatus()).isEqualTo("True");
        // outputTopic turned off: no topic, no condition
        AnalysisStatus off = at(T1).status(s, 2, valid(RUNNING).with("h1", null).withTopics(java.util.List.of()));
        assertThat(off.condition(Condition.TOPIC_READY)).isEmpty();
        // an invalid definition says nothing new about topics: the condition stays
        AnalysisStatus invalid = at(T1).status(s, 2, new AnalysisObservation(Validity.INVALID_SPEC, "spec.window: required", null, "mt-1",
                RUNNING));
        assertThat(invalid.condition(Condition.TOPIC_READY)).isPresent();
    }
}
