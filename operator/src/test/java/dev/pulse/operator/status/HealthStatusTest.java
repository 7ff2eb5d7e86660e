package dev.pulse.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.v1alpha1.common.AnalysisLimits;
import dev.pulse.api.v1alpha1.common.AnalysisStatus;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.operator.health.FreshnessReading;
import dev.pulse.operator.health.LagReading;
import dev.pulse.operator.health.StreamHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Probe round → status, with a fixed clock: lag, freshness, Fresh and its reasons, Ready, and that
 * small moves write nothing (hysteresis and deadbands).
 */
class HealthStatusTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String GROUP = "pulse.growth.shop-events";
    private static final PipelineObservation RUNNING = new PipelineObservation("shop-events-pipeline",
            PipelineObservation.Presence.PRESENT, "STABLE", "RUNNING", "h1", false, null,
            new PipelineObservation.Reconciled(1L, 1L, "DEPLOYED", "h1", false));
    private static final PipelineObservation FAILED = new PipelineObservation("shop-events-pipeline",
            PipelineObservation.Presence.PRESENT, "FAILED", "FAILED", "h1", false, "OutOfMemoryError");
    private static final PipelineObservation SUSPENDED = new PipelineObservation("shop-events-pipeline",
            PipelineObservation.Presence.PRESENT, "SUSPENDED", "SUSPENDED", "h1", true, null);
    // objective 60 s; 1 m lateness + 30 s out-of-orderness: Fresh up to 150 s behind
    private static final Duration OBJECTIVE = Duration.ofSeconds(60);
    private static final Duration DELAY = Duration.ofSeconds(90);

    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final AnalysisStatusFactory factory = new AnalysisStatusFactory(clock);

    private static AnalysisObservation valid(PipelineObservation p) {
        return new AnalysisObservation(Validity.VALID, null, "mt-1", "mt-1", p);
    }

    /** A round at {@code at}: lag records and seconds, and the latest final window {@code behind} seconds before it. */
    private static HealthObservation round(Instant at, long records, long lagSeconds, Long behind) {
        return new HealthObservation(at, new LagReading(GROUP, records, lagSeconds, true, at, null),
                new FreshnessReading(behind == null ? null : at.minusSeconds(behind), at.minusSeconds(2), "h"), null, OBJECTIVE, DELAY, 60_000);
    }

    private AnalysisStatus next(AnalysisStatus previous, PipelineObservation p, HealthObservation h) {
        return factory.status(previous, 1, valid(p), h, null);
    }

    private static Condition c(AnalysisStatus s, String type) {
        return s.condition(type).orElseThrow();
    }

    @Test
    void freshRunningPipelineIsFreshAndReady() {
        AnalysisStatus s = next(null, RUNNING, round(T0, 12, 1, 95L));
        assertThat(c(s, Condition.FRESH).getStatus()).isEqualTo("True");
        assertThat(c(s, Condition.FRESH).getReason()).isEqualTo("Fresh");
        assertThat(c(s, Condition.READY).getStatus()).isEqualTo("True");
        assertThat(s.getLag().getRecords()).isEqualTo(12);
        assertThat(s.getLag().getAsOf()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(s.getFreshness().getSecondsBehind()).isEqualTo(95);
        assertThat(s.getFreshness().getLatestFinalWindowEnd()).isEqualTo("2026-03-01T09:58:25Z");
        assertThat(s.getFreshness().getLatestProvisionalUpdate()).isEqualTo("2026-03-01T09:59:58Z");
    }

    @Test
    void everyRoundWritesItsFiguresWithTheirTimeWhileConditionsMoveOnlyOnChange() {
        AnalysisStatus first = next(null, RUNNING, round(T0, 1000, 3, 95L));
        // 30 s later: lag 1050 records (5%), 4 s; freshness 120 s behind: small moves, but a new round
        AnalysisStatus second = next(first, RUNNING, round(T0.plusSeconds(30), 1050, 4, 120L));
        assertThat(second.getLag().getRecords()).isEqualTo(1050);
        assertThat(second.getLag().getAsOf()).isEqualTo("2026-03-01T10:00:30Z");
        assertThat(second.getFreshness().getSecondsBehind()).isEqualTo(120);
        assertThat(second.getFreshness().getAsOf()).isEqualTo(second.getLag().getAsOf());
        // the conditions did not change, so neither did their transition times
        assertThat(second.getConditions()).isEqualTo(first.getConditions());
    }

    @Test
    void staleWhileFarBehindTheTopicIsLaggingThenCatchingUp() {
        AnalysisStatus fresh = next(null, RUNNING, round(T0, 0, 0, 90L));
        AnalysisStatus lagging = next(fresh, RUNNING, round(T0.plusSeconds(300), 50_000, 240, 330L));
        assertThat(c(lagging, Condition.FRESH).getStatus()).isEqualTo("False");
        assertThat(c(lagging, Condition.FRESH).getReason()).isEqualTo("Lagging");
        assertThat(c(lagging, Condition.FRESH).getLastTransitionTime()).isEqualTo("2026-03-01T10:00:00Z"); // the factory's clock
        assertThat(c(lagging, Condition.READY).getStatus()).isEqualTo("False");
        assertThat(c(lagging, Condition.READY).getReason()).isEqualTo("Lagging");
        assertThat(c(lagging, Condition.PIPELINE_RUNNING).getStatus()).isEqualTo("True");

        AnalysisStatus growing = next(lagging, RUNNING, round(T0.plusSeconds(330), 60_000, 270, 360L));
        assertThat(c(growing, Condition.FRESH).getReason()).isEqualTo("Lagging");

        AnalysisStatus falling = next(growing, RUNNING, round(T0.plusSeconds(360), 30_000, 150, 300L));
        assertThat(c(falling, Condition.FRESH).getReason()).isEqualTo("CatchingUp");
        // still falling, but within the deadband: stays CatchingUp, the conditions unchanged
        AnalysisStatus steady = next(falling, RUNNING, round(T0.plusSeconds(390), 29_000, 145, 300L));
        assertThat(steady.getConditions()).isEqualTo(falling.getConditions());
        assertThat(steady.getLag().getRecords()).isEqualTo(29_000);
    }

    @Test
    void staleWhileKeepingUpWithTheTopicIsStalled() {
        AnalysisStatus s = next(null, RUNNING, round(T0, 3, 0, 900L));
        assertThat(c(s, Condition.FRESH).getStatus()).isEqualTo("False");
        assertThat(c(s, Condition.FRESH).getReason()).isEqualTo("Stalled");
        assertThat(c(s, Condition.READY).getReason()).isEqualTo("Stalled");
    }

    @Test
    void failedOrSuspendedPipelineSaysSoInFresh() {
        AnalysisStatus failed = next(null, FAILED, round(T0, 10_000, 400, 600L));
        assertThat(c(failed, Condition.FRESH).getReason()).isEqualTo("JobFailed");
        assertThat(c(failed, Condition.PIPELINE_RUNNING).getReason()).isEqualTo("JobFailed");
        assertThat(c(failed, Condition.READY).getReason()).isEqualTo("PipelineFailed");

        AnalysisStatus suspended = next(null, SUSPENDED, round(T0, 10_000, 400, 600L));
        assertThat(c(suspended, Condition.FRESH).getReason()).isEqualTo("Suspended");
        assertThat(c(suspended, Condition.FRESH).getStatus()).isEqualTo("False");
    }

    @Test
    void freshDataStaysFreshEvenWhileTheJobRestarts() {
        AnalysisStatus s = next(null, FAILED, round(T0, 10, 1, 100L));
        assertThat(c(s, Condition.FRESH).getStatus()).isEqualTo("True");
        assertThat(c(s, Condition.READY).getReason()).isEqualTo("PipelineFailed");
    }

    @Test
    void freshFlipsFalseAboveTheLimitAndTrueOnlyBelowItMinusAMargin() {
        AnalysisStatus fresh = next(null, RUNNING, round(T0, 0, 0, 150L));
        assertThat(c(fresh, Condition.FRESH).getStatus()).isEqualTo("True"); // 150 = allowed
        AnalysisStatus stale = next(fresh, RUNNING, round(T0.plusSeconds(30), 0, 0, 151L));
        assertThat(c(stale, Condition.FRESH).getStatus()).isEqualTo("False");
        // back under the limit, but not by the margin (max(5 s, 10%) = 15 s): still False
        AnalysisStatus hovering = next(stale, RUNNING, round(T0.plusSeconds(60), 0, 0, 140L));
        assertThat(c(hovering, Condition.FRESH).getStatus()).isEqualTo("False");
        AnalysisStatus recovered = next(hovering, RUNNING, round(T0.plusSeconds(90), 0, 0, 130L));
        assertThat(c(recovered, Condition.FRESH).getStatus()).isEqualTo("True");
    }

    @Test
    void unknownFreshnessSaysWhy() {
        HealthObservation notProbed = new HealthObservation(null, null, null, null, OBJECTIVE, DELAY, 60_000);
        assertThat(c(next(null, RUNNING, notProbed), Condition.FRESH).getReason()).isEqualTo("ProbePending");

        HealthObservation noServing = new HealthObservation(T0, null, null, StreamHealth.SERVING_NOT_CONFIGURED, OBJECTIVE, DELAY, 60_000);
        AnalysisStatus s = next(null, RUNNING, noServing);
        assertThat(c(s, Condition.FRESH).getStatus()).isEqualTo("Unknown");
        assertThat(c(s, Condition.FRESH).getReason()).isEqualTo("ServingNotConfigured");
        assertThat(c(s, Condition.READY).getStatus()).isEqualTo("True"); // Unknown freshness does not make a resource un-Ready

        HealthObservation dbDown = new HealthObservation(T0, null, null, "serving database: connection refused", OBJECTIVE, DELAY, 60_000);
        assertThat(c(next(null, RUNNING, dbDown), Condition.FRESH).getReason()).isEqualTo("ProbeFailed");

        AnalysisStatus noWindow = next(null, RUNNING, round(T0, 0, 0, null));
        assertThat(c(noWindow, Condition.FRESH).getReason()).isEqualTo("AwaitingFirstWindow");
    }

    @Test
    void aFailedLagReadingKeepsTheLastMeasuredLag() {
        AnalysisStatus first = next(null, RUNNING, round(T0, 500, 20, 95L));
        HealthObservation kafkaDown = new HealthObservation(T0.plusSeconds(30), LagReading.failed(GROUP, T0.plusSeconds(30), "timeout"),
                new FreshnessReading(T0.minusSeconds(95), T0, "h"), null, OBJECTIVE, DELAY, 60_000);
        AnalysisStatus second = next(first, RUNNING, kafkaDown);
        assertThat(second.getLag()).usingRecursiveComparison().ignoringFields("stale").isEqualTo(first.getLag());
    }

    @Test
    void aFailedCatalogProbeSetsProbingFalseAndMarksTheFreshnessStaleWithoutChangingReady() {
        AnalysisStatus good = next(null, RUNNING, round(T0, 12, 1, 95L));
        assertThat(c(good, Condition.PROBING).getStatus()).isEqualTo("True");
        assertThat(good.getFreshness().getStale()).isNull();
        assertThat(good.getFreshness().getAsOf()).isEqualTo("2026-03-01T10:00:00Z");

        Instant t1 = T0.plusSeconds(30);
        HealthObservation dbDown = new HealthObservation(t1, new LagReading(GROUP, 12L, 1L, true, t1, null), null,
                "serving database: connection refused (08001)", OBJECTIVE, DELAY, 60_000);
        AnalysisStatus down = next(good, RUNNING, dbDown);
        assertThat(c(down, Condition.PROBING).getStatus()).isEqualTo("False");
        assertThat(c(down, Condition.PROBING).getReason()).isEqualTo("FreshnessProbeFailed");
        assertThat(c(down, Condition.PROBING).getMessage()).contains("connection refused").contains("as of 2026-03-01T10:00:00Z");
        assertThat(down.getFreshness().getStale()).isTrue();
        assertThat(down.getFreshness().getSecondsBehind()).isEqualTo(95L);
        assertThat(down.getFreshness().getAsOf()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(down.getLag().getStale()).isNull();
        assertThat(c(down, Condition.READY).getStatus()).isEqualTo("True");

        AnalysisStatus back = next(down, RUNNING, round(T0.plusSeconds(60), 12, 1, 100L));
        assertThat(c(back, Condition.PROBING).getStatus()).isEqualTo("True");
        assertThat(back.getFreshness().getStale()).isNull();
        assertThat(back.getFreshness().getAsOf()).isEqualTo("2026-03-01T10:01:00Z");
    }

    @Test
    void aFailedLagProbeMarksTheLagStale() {
        AnalysisStatus first = next(null, RUNNING, round(T0, 500, 20, 95L));
        Instant t1 = T0.plusSeconds(30);
        HealthObservation kafkaDown = new HealthObservation(t1, LagReading.failed(GROUP, t1, "TimeoutException"),
                new FreshnessReading(T0.minusSeconds(95), T0, "h"), null, OBJECTIVE, DELAY, 60_000);
        AnalysisStatus second = next(first, RUNNING, kafkaDown);
        assertThat(c(second, Condition.PROBING).getReason()).isEqualTo("LagProbeFailed");
        assertThat(c(second, Condition.PROBING).getMessage()).contains("TimeoutException").contains("as of 2026-03-01T10:00:00Z");
        assertThat(second.getLag().getStale()).isTrue();
        assertThat(second.getLag().getRecords()).isEqualTo(500L);
        assertThat(second.getFreshness().getStale()).isNull();

        // a reading within the deadband still clears the mark
        AnalysisStatus third = next(second, RUNNING, round(T0.plusSeconds(60), 505, 20, 95L));
        assertThat(third.getLag().getStale()).isNull();
        assertThat(third.getLag().getAsOf()).isEqualTo("2026-03-01T10:01:00Z");
        assertThat(c(third, Condition.PROBING).getStatus()).isEqualTo("True");
    }

    @Test
    void aRoundOlderThanTwoIntervalsIsStalled() {
        AnalysisStatus first = next(null, RUNNING, round(T0, 500, 20, 95L));
        HealthObservation r = round(T0, 500, 20, 95L);
        HealthObservation old = new HealthObservation(r.asOf(), r.lag(), r.freshness(), null, OBJECTIVE, DELAY, 60_000, AnalysisLimits.DEFAULT_MAX_GROUPS,
                T0.plusSeconds(76), Duration.ofSeconds(75));
        AnalysisStatus stalled = next(first, RUNNING, old);
        assertThat(c(stalled, Condition.PROBING).getReason()).isEqualTo("ProbeStalled");
        assertThat(stalled.getLag().getStale()).isTrue();
        assertThat(stalled.getFreshness().getStale()).isTrue();
        assertThat(c(stalled, Condition.READY).getStatus()).isEqualTo("True");

        HealthObservation recent = new HealthObservation(r.asOf(), r.lag(), r.freshness(), null, OBJECTIVE, DELAY, 60_000, AnalysisLimits.DEFAULT_MAX_GROUPS,
                T0.plusSeconds(75), Duration.ofSeconds(75));
        assertThat(c(next(first, RUNNING, recent), Condition.PROBING).getStatus()).isEqualTo("True");
    }

    @Test
    void funnelsAndRetentionsAreAllowedTheTimeTheirResultsTakeToBeFinal() {
        var funnel = new dev.pulse.api.plan.AnalysisPlan("fn-1", AnalysisKind.Funnel, "growth", "checkout", "h", java.util.List.of(), null, null, 60_000, 5_000,
                null, new dev.pulse.api.plan.FunnelPlan(java.util.List.of(), dev.pulse.api.v1alpha1.funnel.FunnelSpec.Order.ordered, 1_800_000, java.util.List.of(),
                        dev.pulse.api.v1alpha1.funnel.FunnelSpec.CountBy.uniques), null, null, null, null);
        assertThat(HealthObservation.expectedDelay(funnel, 30_000)).isEqualTo(Duration.ofSeconds(60 + 30 + 1800));
        var retention = new dev.pulse.api.plan.AnalysisPlan("rt-1", AnalysisKind.Retention, "growth", "buyers", "h", java.util.List.of(), null, null, 0, 5_000,
                null, null, new dev.pulse.api.plan.RetentionPlan(null, null, 86_400_000, 7, dev.pulse.api.v1alpha1.retention.RetentionSpec.Mode.bounded), null, null, null);
        assertThat(HealthObservation.expectedDelay(retention, 30_000)).isEqualTo(Duration.ofDays(8).plusSeconds(30));
    }

    @Test
    void theLatestFinalWindowMayBeOneWindowStepOld() {
        var hourly = new dev.pulse.api.plan.AnalysisPlan("mt-1", AnalysisKind.Metric, "growth", "orders", "h", java.util.List.of(), null,
                new dev.pulse.api.plan.WindowPlan(dev.pulse.api.v1alpha1.common.WindowType.tumbling, 3_600_000, 0, 0), 60_000, 5_000, null, null, null, null, null, null);
        assertThat(HealthObservation.expectedDelay(hourly, 30_000)).isEqualTo(Duration.ofSeconds(3600 + 60 + 30));
        var hopping = new dev.pulse.api.plan.AnalysisPlan("mt-2", AnalysisKind.Metric, "growth", "users", "h", java.util.List.of(), null,
                new dev.pulse.api.plan.WindowPlan(dev.pulse.api.v1alpha1.common.WindowType.hopping, 3_600_000, 300_000, 0), 0, 5_000, null, null, null, null, null, null);
        assertThat(HealthObservation.expectedDelay(hopping, 30_000)).isEqualTo(Duration.ofSeconds(300 + 30));
    }

    /** A round 95 s behind in which the latest capped window (or null) started at {@code capped}. */
    private static HealthObservation cappedRound(Instant at, Instant capped, String error) {
        return new HealthObservation(at, new LagReading(GROUP, 0L, 0L, true, at, null),
                new FreshnessReading(at.minusSeconds(95), at.minusSeconds(2), "h", capped), error, OBJECTIVE, DELAY, 60_000, 500);
    }

    @Test
    void cardinalityCappedFollowsOtherRowsWithoutTouchingReadyAndKeepsItsFirstWindowWhileCapped() {
        AnalysisStatus never = next(null, RUNNING, cappedRound(T0, null, null));
        assertThat(never.condition(Condition.CARDINALITY_CAPPED)).as("an analysis that never hit its limit has no such condition").isEmpty();

        Instant window = Instant.parse("2026-03-01T09:57:00Z");
        AnalysisStatus capped = next(never, RUNNING, cappedRound(T0.plusSeconds(60), window, null));
        Condition c = c(capped, Condition.CARDINALITY_CAPPED);
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("MaxGroupsReached");
        assertThat(c.getMessage()).contains("2026-03-01T09:57:00Z").contains("spec.limits.maxGroups (500)").contains("__other__");
        assertThat(c.getLastTransitionTime()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(c(capped, Condition.READY).getStatus()).isEqualTo("True");

        // a later window capped too: the condition stays as it was, so the status is not rewritten
        AnalysisStatus still = next(capped, RUNNING, cappedRound(T0.plusSeconds(120), window.plusSeconds(60), null));
        assertThat(c(still, Condition.CARDINALITY_CAPPED)).isEqualTo(c);

        // the catalog cannot be read: the condition is kept as it was
        AnalysisStatus unknown = next(still, RUNNING, cappedRound(T0.plusSeconds(180), null, "serving database: refused"));
        assertThat(c(unknown, Condition.CARDINALITY_CAPPED)).isEqualTo(c);

        // the latest windows fit again
        AnalysisStatus fits = next(unknown, RUNNING, cappedRound(T0.plusSeconds(240), null, null));
        assertThat(c(fits, Condition.CARDINALITY_CAPPED).getStatus()).isEqualTo("False");
        assertThat(c(fits, Condition.CARDINALITY_CAPPED).getReason()).isEqualTo("WithinMaxGroups");
        assertThat(c(fits, Condition.READY).getStatus()).isEqualTo("True");
    }
}
