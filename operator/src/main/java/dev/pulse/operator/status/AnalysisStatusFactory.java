package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.common.AnalysisStatus;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.PipelineStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The status of an analysis from what was observed: pure, apart from the injected clock that
 * stamps condition transitions.
 */
@ApplicationScoped
public class AnalysisStatusFactory {
    private final Clock clock;

    public AnalysisStatusFactory(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param previous the status the resource has now (may be null); its other fields (lag,
     *     freshness, drift, anomalies) and conditions set by probes are kept
     */
    public AnalysisStatus status(AnalysisStatus previous, long generation, AnalysisObservation o) {
        Condition valid = o.validity() == Validity.VALID
                ? Conditions.of(Condition.VALID, Conditions.TRUE, Reasons.VALID, "compiled into pipeline " + o.pipeline().flinkDeployment())
                : Conditions.of(Condition.VALID, Conditions.FALSE, o.validity().reason(), o.validityMessage());
        Condition running = o.pipeline().pipelineRunning();
        Condition ready = ready(o, valid, running, generation);

        AnalysisStatus next = copy(previous);
        next.setObservedGeneration(generation);
        next.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(), List.of(ready, valid, running),
                generation, clock.instant()));
        PipelineStatus pipeline = new PipelineStatus();
        pipeline.setFlinkDeployment(o.pipeline().flinkDeployment());
        pipeline.setLifecycleState(o.pipeline().lifecycleState());
        pipeline.setJobState(o.pipeline().jobState());
        pipeline.setPlanHash(o.pipeline().planHash());
        pipeline.setAnalysisId(o.deployedAnalysisId());
        next.setPipeline(pipeline);
        return next;
    }

    private static Condition ready(AnalysisObservation o, Condition valid, Condition running, long generation) {
        String type = Condition.READY;
        if (o.validity() != Validity.VALID) {
            return Conditions.of(type, Conditions.FALSE, valid.getReason(), valid.getMessage());
        }
        if (o.pipeline().presence() == PipelineObservation.Presence.FLINK_NOT_INSTALLED) {
            return Conditions.of(type, Conditions.FALSE, running.getReason(), running.getMessage());
        }
        if (!Objects.equals(o.currentAnalysisId(), o.deployedAnalysisId())) {
            return Conditions.of(type, Conditions.FALSE, Reasons.PLAN_PENDING,
                    "the plan of pipeline " + o.pipeline().flinkDeployment() + " does not hold generation " + generation + " yet");
        }
        if (!Conditions.isTrue(running)) {
            return Conditions.of(type, Conditions.FALSE, running.getReason(), running.getMessage());
        }
        return Conditions.of(type, Conditions.TRUE, Reasons.READY, "running in pipeline " + o.pipeline().flinkDeployment());
    }

    private static AnalysisStatus copy(AnalysisStatus previous) {
        AnalysisStatus next = new AnalysisStatus();
        if (previous != null) {
            next.setLag(previous.getLag());
            next.setFreshness(previous.getFreshness());
            next.setDrift(previous.getDrift());
            next.setAnomalies(previous.getAnomalies());
        }
        return next;
    }
}
