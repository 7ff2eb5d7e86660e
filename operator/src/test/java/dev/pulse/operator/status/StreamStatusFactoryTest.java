package dev.pulse.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.eventstream.EventStreamStatus;
import dev.pulse.api.v1alpha1.eventstream.InputStatus;
import dev.pulse.operator.health.InputReading;
import java.util.Map;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StreamStatusFactoryTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T11:00:00Z");
    private static final PipelineObservation RUNNING = new PipelineObservation("s-pipeline",
            PipelineObservation.Presence.PRESENT, "STABLE", "RUNNING", "h1", false, null,
            new PipelineObservation.Reconciled(1L, 1L, "DEPLOYED", "h1", false));

    private static StreamStatusFactory at(Instant now) {
        return new StreamStatusFactory(Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void readyWhenValidAndRunningTheCurrentPlan() {
        EventStreamStatus s = at(T0).status(null, 1, new StreamObservation(Validity.VALID, null, null, null, "h1", RUNNING));
        assertThat(s.condition(Condition.READY).orElseThrow().getStatus()).isEqualTo("True");
        assertThat(s.getPipeline().getPlanHash()).isEqualTo("h1");
        assertThat(at(T1).status(s, 1, new StreamObservation(Validity.VALID, null, null, null, "h1", RUNNING))).isEqualTo(s);
    }

    @Test
    void aNewPlanTheFlinkOperatorHasNotReconciledIsNotRunningYet() {
        EventStreamStatus s = at(T0).status(null, 2, new StreamObservation(Validity.VALID, null, null, null, "h2", RUNNING));
        assertThat(s.condition(Condition.READY).orElseThrow().getReason()).isEqualTo("PipelineNotRunning");
        assertThat(s.condition(Condition.PIPELINE_RUNNING).orElseThrow().getReason()).isEqualTo("Upgrading");
        assertThat(s.condition(Condition.PIPELINE_RUNNING).orElseThrow().getMessage()).contains("reconciled plan h1, not plan h2 yet");
    }

    @Test
    void aTopicStrimziRefusesShowsInTopicReadyWithStrimzisReasonAndMakesTheStreamUnReady() {
        var input = new TopicObservation("shop-events", "True", null, null);
        var refused = new TopicObservation("shop-events.dlq", "False", "KafkaError",
                "org.apache.kafka.common.errors.PolicyViolationException: replication factor 3 larger than brokers");
        EventStreamStatus s = at(T0).status(null, 1, new StreamObservation(Validity.VALID, null, null, null, "h1", RUNNING,
                java.util.List.of(input, refused), null));
        Condition topic = s.condition(Condition.TOPIC_READY).orElseThrow();
        assertThat(topic.getStatus()).isEqualTo("False");
        assertThat(topic.getReason()).isEqualTo("KafkaError");
        assertThat(topic.getMessage()).isEqualTo("KafkaTopic shop-events.dlq is not Ready: "
                + "org.apache.kafka.common.errors.PolicyViolationException: replication factor 3 larger than brokers");
        assertThat(s.condition(Condition.READY).orElseThrow().getReason()).isEqualTo("TopicNotReady");

        EventStreamStatus ok = at(T1).status(s, 1, new StreamObservation(Validity.VALID, null, null, null, "h1", RUNNING,
                java.util.List.of(input, new TopicObservation("shop-events.dlq", "True", null, null)), null));
        assertThat(ok.condition(Condition.TOPIC_READY).orElseThrow().getStatus()).isEqualTo("True");
        assertThat(ok.condition(Condition.READY).orElseThrow().getStatus()).isEqualTo("True");
        // the serving database outranks everything but the definition
        EventStreamStatus down = at(T1).status(s, 1, new StreamObservation(Validity.VALID, null, null, null, "h1", RUNNING,
                java.util.List.of(input, refused), "cannot connect to the serving database (SQLState 08001)"));
        assertThat(down.condition(Condition.READY).orElseThrow().getReason()).isEqualTo("ServingStoreUnavailable");
    }

    private static StreamObservation probed(HealthObservation health) {
        return new StreamObservation(Validity.VALID, null, null, null, "h1", RUNNING, java.util.List.of(), null, health);
    }

    private static HealthObservation round(Instant asOf, dev.pulse.operator.health.LagReading lag, Instant now) {
        return new HealthObservation(asOf, lag, null, null, HealthObservation.DEFAULT_OBJECTIVE, java.time.Duration.ZERO, 0, 10_000, now,
                java.time.Duration.ofSeconds(70));
    }

    /** The shared pipeline's lag and Probing, as its analyses show them; a failed or stalled round keeps the lag, stale, and Ready as it was. */
    @Test
    void theSharedPipelinesLagAndProbingFollowTheProbeRounds() {
        var lag = new dev.pulse.operator.health.LagReading("pulse.shop-events", 1200L, 14L, true, T0, null);
        EventStreamStatus s = at(T0).status(null, 1, probed(round(T0, lag, T0)));
        assertThat(s.getLag().getRecords()).isEqualTo(1200L);
        assertThat(s.getLag().getSeconds()).isEqualTo(14L);
        assertThat(s.getLag().getAsOf()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(s.condition(Condition.PROBING).orElseThrow().getReason()).isEqualTo("Probed");
        assertThat(s.condition(Condition.READY).orElseThrow().getStatus()).isEqualTo("True");

        Instant later = T0.plusSeconds(30);
        var failed = dev.pulse.operator.health.LagReading.failed("pulse.shop-events", later, "Timed out waiting for a node assignment");
        EventStreamStatus f = at(later).status(s, 1, probed(round(later, failed, later)));
        assertThat(f.condition(Condition.PROBING).orElseThrow().getStatus()).isEqualTo("False");
        assertThat(f.condition(Condition.PROBING).orElseThrow().getReason()).isEqualTo("LagProbeFailed");
        assertThat(f.getLag().getRecords()).isEqualTo(1200L);
        assertThat(f.getLag().getStale()).isTrue();
        assertThat(f.condition(Condition.READY).orElseThrow().getStatus()).isEqualTo("True");

        // no round for longer than stalledAfter (70 s): ProbeStalled
        EventStreamStatus stalled = at(T1).status(s, 1, probed(round(T0, lag, T0.plusSeconds(100))));
        assertThat(stalled.condition(Condition.PROBING).orElseThrow().getReason()).isEqualTo("ProbeStalled");
        assertThat(stalled.getLag().getStale()).isTrue();

        // not probed (yet): lag and Probing stay as they were
        EventStreamStatus kept = at(T1).status(s, 1, probed(null));
        assertThat(kept.getLag()).isEqualTo(s.getLag());
        assertThat(kept.condition(Condition.PROBING)).isEqualTo(s.condition(Condition.PROBING));
    }

    private static StreamObservation probed(HealthObservation health, PipelineLags.Reading... pipelines) {
        return new StreamObservation(Validity.VALID, null, null, null, "h1", RUNNING, java.util.List.of(), null, health, java.util.List.of(pipelines));
    }

    /**
     * Each pipeline reading the stream has its own lag in status.pipelineLags (its own consumer
     * group), sorted by pipeline; a pipeline the round could not measure keeps its figures, stale,
     * while the others move on; one no longer planned is gone.
     */
    @Test
    void eachPipelinesLagIsListedByPipelineAndGoesStaleOnItsOwn() {
        var shared = new dev.pulse.operator.health.LagReading("pulse.ns.shop-events", 1200L, 14L, true, T0, null);
        var dedicated = new dev.pulse.operator.health.LagReading("pulse.ns.shop-events.checkout-funnel", 30L, 2L, true, T0, null);
        EventStreamStatus s = at(T0).status(null, 1, probed(round(T0, shared, T0),
                new PipelineLags.Reading("shop-events-pipeline", "pulse.ns.shop-events", shared),
                new PipelineLags.Reading("checkout-funnel", "pulse.ns.shop-events.checkout-funnel", dedicated)));
        assertThat(s.getPipelineLags()).extracting(l -> l.getPipeline(), l -> l.getConsumerGroup(), l -> l.getRecords(), l -> l.getAsOf(),
                l -> l.getStale()).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("checkout-funnel", "pulse.ns.shop-events.checkout-funnel", 30L, "2026-01-01T10:00:00Z", null),
                        org.assertj.core.groups.Tuple.tuple("shop-events-pipeline", "pulse.ns.shop-events", 1200L, "2026-01-01T10:00:00Z", null));

        // the next round reads the shared group but not the dedicated one: only that one is stale, as of its last good round
        Instant later = T0.plusSeconds(30);
        var sharedLater = new dev.pulse.operator.health.LagReading("pulse.ns.shop-events", 900L, 10L, true, later, null);
        var failed = dev.pulse.operator.health.LagReading.failed("pulse.ns.shop-events.checkout-funnel", later, "Timed out");
        EventStreamStatus next = at(later).status(s, 1, probed(round(later, sharedLater, later),
                new PipelineLags.Reading("shop-events-pipeline", "pulse.ns.shop-events", sharedLater),
                new PipelineLags.Reading("checkout-funnel", "pulse.ns.shop-events.checkout-funnel", failed)));
        assertThat(next.getPipelineLags()).extracting(l -> l.getPipeline(), l -> l.getRecords(), l -> l.getAsOf(), l -> l.getStale())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("checkout-funnel", 30L, "2026-01-01T10:00:00Z", true),
                        org.assertj.core.groups.Tuple.tuple("shop-events-pipeline", 900L, "2026-01-01T10:00:30Z", null));

        // the analysis went back to the shared pipeline: its dedicated pipeline's entry goes
        EventStreamStatus shrunk = at(later).status(next, 2, probed(round(later, sharedLater, later),
                new PipelineLags.Reading("shop-events-pipeline", "pulse.ns.shop-events", sharedLater)));
        assertThat(shrunk.getPipelineLags()).extracting(l -> l.getPipeline()).containsExactly("shop-events-pipeline");

        // a stalled round marks every entry stale; a failed reconcile keeps them as they are
        EventStreamStatus stalled = at(T1).status(s, 1, probed(round(T0, shared, T0.plusSeconds(100)),
                new PipelineLags.Reading("shop-events-pipeline", "pulse.ns.shop-events", shared)));
        assertThat(stalled.getPipelineLags()).extracting(l -> l.getStale()).containsExactly(true);
        assertThat(at(T1).failed(next, 1, "ReconcileFailed", "boom").getPipelineLags()).isEqualTo(next.getPipelineLags());
    }

    @Test
    void blockedAndInvalidStreamsSayWhy() {
        EventStreamStatus blocked = at(T0).status(null, 1, new StreamObservation(Validity.VALID, null, "TemplateNotFound",
                "no pipeline template 'big'", "h1", RUNNING));
        assertThat(blocked.condition(Condition.READY).orElseThrow().getReason()).isEqualTo("TemplateNotFound");
        EventStreamStatus invalid = at(T1).status(blocked, 2, new StreamObservation(Validity.INVALID_SPEC,
                "spec.actorField: must differ from spec.eventTypeField", null, null, null, RUNNING));
        assertThat(invalid.condition(Condition.VALID).orElseThrow().getReason()).isEqualTo("InvalidSpec");
        assertThat(invalid.condition(Condition.READY).orElseThrow().getMessage()).startsWith("spec.actorField");
        // Ready was False before and is False now: its transition time stays
        assertThat(invalid.condition(Condition.READY).orElseThrow().getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void aFailedReconcileTouchesOnlyReady() {
        EventStreamStatus ok = at(T0).status(null, 1, new StreamObservation(Validity.VALID, null, null, null, "h1", RUNNING));
        EventStreamStatus failed = at(T1).failed(ok, 1, "ReconcileFailed", "409 Conflict");
        assertThat(failed.condition(Condition.READY).orElseThrow().getReason()).isEqualTo("ReconcileFailed");
        assertThat(failed.condition(Condition.READY).orElseThrow().getLastTransitionTime()).isEqualTo("2026-01-01T11:00:00Z");
        assertThat(failed.condition(Condition.VALID)).isEqualTo(ok.condition(Condition.VALID));
        assertThat(failed.getPipeline()).isEqualTo(ok.getPipeline());
    }

    @Test
    void inputCountsComeFromTheDeadLetterReadingAndStayUntilTheNextOne() {
        Instant since = Instant.parse("2026-01-01T09:30:00Z");
        InputReading reading = new InputReading("shop-events.dlq", since, Map.of("not-json", 3L, "bad-time", 1L),
                Map.of("Metric/growth/orders", 2L), new InputReading.Last("late", "Metric/growth/orders", 4, 1234L,
                        Instant.parse("2026-01-01T09:59:00Z")), T0, null);
        StreamObservation o = new StreamObservation(Validity.VALID, null, null, null, "h1", RUNNING);
        EventStreamStatus s = at(T0).status(null, 1, o, InputStatuses.of(reading));
        InputStatus input = s.getInput();
        assertThat(input.getMalformed()).containsExactly(Map.entry("bad-time", 1L), Map.entry("not-json", 3L));
        assertThat(input.getMalformedTotal()).isEqualTo(4);
        assertThat(input.getLate()).containsExactly(Map.entry("Metric/growth/orders", 2L));
        assertThat(input.getLateTotal()).isEqualTo(2);
        assertThat(input.getSince()).isEqualTo("2026-01-01T09:30:00Z");
        assertThat(input.getAsOf()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(input.getDeadLetterTopic()).isEqualTo("shop-events.dlq");
        assertThat(input.getLast().getReason()).isEqualTo("late");
        assertThat(input.getLast().getAnalysis()).isEqualTo("Metric/growth/orders");
        assertThat(input.getLast().getPartition()).isEqualTo(4);
        assertThat(input.getLast().getOffset()).isEqualTo(1234L);
        assertThat(input.getLast().getAt()).isEqualTo("2026-01-01T09:59:00Z");

        // a reconcile without a new reading keeps them, and so does a failed one: nothing to patch
        assertThat(at(T1).status(s, 1, o)).isEqualTo(s);
        assertThat(at(T1).failed(s, 1, "ReconcileFailed", "409").getInput()).isEqualTo(input);
    }
}
