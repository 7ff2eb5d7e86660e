package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.PipelineStatus;
import dev.pulse.api.v1alpha1.common.Reasons;
import dev.pulse.api.v1alpha1.eventstream.EventStreamStatus;
import dev.pulse.api.v1alpha1.eventstream.InputStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/** The status of an EventStream from what was observed; pure apart from the injected clock. */
@ApplicationScoped
public class StreamStatusFactory {
    private final Clock clock;

    public StreamStatusFactory(Clock clock) {
        this.clock = clock;
    }

    public EventStreamStatus status(EventStreamStatus previous, long generation, StreamObservation o) {
        return status(previous, generation, o, null);
    }

    /**
     * @param input the latest count of the stream's dead-letter records, or null to keep the previous one
     */
    public EventStreamStatus status(EventStreamStatus previous, long generation, StreamObservation o, InputStatus input) {
        Condition valid = o.validity() == Validity.VALID
                ? Conditions.of(Condition.VALID, Conditions.TRUE, Reasons.VALID, "the stream's definition is valid")
                : Conditions.of(Condition.VALID, Conditions.FALSE, o.validity().reason(), o.validityMessage());
        Condition running = o.pipeline().pipelineRunning(o.desiredPlanHash());
        Condition topics = TopicObservation.topicReady(o.topics());
        Condition ready;
        if (o.validity() != Validity.VALID) {
            ready = Conditions.of(Condition.READY, Conditions.FALSE, valid.getReason(), valid.getMessage());
        } else if (o.blockedReason() != null) {
            ready = Conditions.of(Condition.READY, Conditions.FALSE, o.blockedReason(), o.blockedMessage());
        } else if (o.pipeline().presence() == PipelineObservation.Presence.FLINK_NOT_INSTALLED) {
            ready = Conditions.of(Condition.READY, Conditions.FALSE, running.getReason(), running.getMessage());
        } else if (o.servingUnavailable() != null) {
            ready = Conditions.of(Condition.READY, Conditions.FALSE, Reasons.SERVING_STORE_UNAVAILABLE,
                    o.servingUnavailable() + ": the API cannot serve the stream's analyses");
        } else if (topics != null && Conditions.FALSE.equals(topics.getStatus())) {
            ready = Conditions.of(Condition.READY, Conditions.FALSE, Reasons.TOPIC_NOT_READY, topics.getReason() + ": " + topics.getMessage());
        } else if (PipelineObservation.failed(running)) {
            ready = Conditions.of(Condition.READY, Conditions.FALSE, Reasons.PIPELINE_FAILED, running.getReason() + ": " + running.getMessage());
        } else if (!Conditions.isTrue(running)) {
            ready = Conditions.of(Condition.READY, Conditions.FALSE, Reasons.PIPELINE_NOT_RUNNING, running.getReason() + ": " + running.getMessage());
        } else {
            ready = Conditions.of(Condition.READY, Conditions.TRUE, Reasons.READY, "pipeline " + o.pipeline().flinkDeployment() + " runs the current plan");
        }

        EventStreamStatus next = new EventStreamStatus();
        if (previous != null) {
            next.setLag(previous.getLag());
            next.setFreshness(previous.getFreshness());
            next.setInput(previous.getInput());
            next.setPipelineLags(previous.getPipelineLags());
        }
        if (input != null) {
            next.setInput(input);
        }
        next.setObservedGeneration(generation);
        List<Condition> conditions = new java.util.ArrayList<>(List.of(ready, valid, running));
        if (topics != null) {
            conditions.add(topics);
        }
        if (o.health() != null) {
            // the shared pipeline's lag and Probing, as an analysis of it shows them (the same assessment); never Ready
            HealthAssessment health = HealthAssessment.of(previous, running, o.health());
            next.setLag(health.lag());
            next.setPipelineLags(PipelineLags.of(previous == null ? null : previous.getPipelineLags(), o.pipelineLags(), o.health().stalled()));
            if (health.probing() != null) {
                conditions.add(health.probing());
            }
        }
        next.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(), conditions, generation, clock.instant()));
        PipelineStatus pipeline = new PipelineStatus();
        pipeline.setFlinkDeployment(o.pipeline().flinkDeployment());
        pipeline.setLifecycleState(o.pipeline().lifecycleState());
        pipeline.setJobState(o.pipeline().jobState());
        pipeline.setPlanHash(o.pipeline().planHash());
        pipeline.setReconciledPlanHash(o.pipeline().reconciledPlanHash());
        PipelineRestarts.of(previous == null ? null : previous.getPipeline(), o.pipeline()).applyTo(pipeline);
        next.setPipeline(pipeline);
        return next;
    }

    /**
     * The status after a reconcile failed with an error the operator will retry (an API server
     * error, a conflict): {@code Ready=False} with the reason, everything else as it was.
     */
    public EventStreamStatus failed(EventStreamStatus previous, long generation, String reason, String message) {
        EventStreamStatus next = new EventStreamStatus();
        if (previous != null) {
            next.setInput(previous.getInput());
            next.setLag(previous.getLag());
            next.setPipelineLags(previous.getPipelineLags());
            next.setFreshness(previous.getFreshness());
            next.setPipeline(previous.getPipeline());
            next.setObservedGeneration(previous.getObservedGeneration());
        }
        String text = message == null ? reason : message.length() > 1024 ? message.substring(0, 1021) + "..." : message;
        next.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(),
                List.of(Conditions.of(Condition.READY, Conditions.FALSE, reason, text)), generation, clock.instant()));
        return next;
    }
}
