package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.common.AnalysisStatus;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.PipelineStatus;
import dev.pulse.api.v1alpha1.common.Reasons;
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
        return status(previous, generation, o, null, null);
    }

    /**
     * The status with what the probes saw: {@code lag}, {@code freshness} and {@code Fresh} from
     * the latest probe round, {@code drift}, {@code DriftWithinTolerance} and {@code Authoritative}
     * from the drift check. {@code Ready} is False with Fresh's reason when the results are stale
     * (drift does not make a Metric un-Ready: it is about trust, said by Authoritative).
     *
     * @param health the latest probe round for this analysis, or null to keep what the status says
     * @param drift the drift figures and conditions (Metrics with reconciliation), or null for none
     */
    public AnalysisStatus status(AnalysisStatus previous, long generation, AnalysisObservation o, HealthObservation health,
            dev.pulse.operator.drift.DriftStatusFactory drift) {
        return status(previous, generation, o, health, drift, null);
    }

    /**
     * The status as above, with where the deployed version stands on its history: while it
     * backfills, {@code status.backfill} and, if nothing worse holds, {@code Ready=False} reason
     * {@code Backfilling}; {@code status.servingVersion} from the catalog.
     *
     * @param backfill the deployed version's backfill, or null when unknown
     */
    public AnalysisStatus status(AnalysisStatus previous, long generation, AnalysisObservation o, HealthObservation health,
            dev.pulse.operator.drift.DriftStatusFactory drift, BackfillObservation backfill) {
        Condition valid = o.validity() == Validity.VALID
                ? Conditions.of(Condition.VALID, Conditions.TRUE, Reasons.VALID, "compiled into pipeline " + o.pipeline().flinkDeployment())
                : Conditions.of(Condition.VALID, Conditions.FALSE, o.validity().reason(), o.validityMessage());
        Condition running = o.pipeline().pipelineRunning(o.deployedPlanHash());
        Condition ready = ready(o, valid, running, generation);

        AnalysisStatus next = copy(previous);
        List<Condition> conditions = new java.util.ArrayList<>(List.of(ready, valid, running));
        boolean backfilling = backfill != null && backfill.backfilling() && o.validity() == Validity.VALID;
        if (backfill != null && backfill.servingVersion() != null) {
            next.setServingVersion(backfill.servingVersion());
        }
        if (backfilling) {
            next.setBackfill(backfill.status(clock.instant()));
            if (Conditions.isTrue(ready)) {
                // the version is still computing its history: its freshness says nothing yet
                conditions.set(0, Conditions.of(Condition.READY, Conditions.FALSE, Reasons.BACKFILLING, backfill.message()));
            }
        }
        if (health != null) {
            HealthAssessment h = HealthAssessment.of(previous, running, health);
            next.setLag(h.lag());
            next.setFreshness(h.freshness());
            conditions.add(h.fresh());
            if (h.probing() != null) {
                conditions.add(h.probing());
            }
            if (Conditions.isTrue(conditions.get(0)) && Conditions.FALSE.equals(h.fresh().getStatus())) {
                conditions.set(0, Conditions.of(Condition.READY, Conditions.FALSE, h.fresh().getReason(), h.fresh().getMessage()));
            }
            Condition capped = cardinalityCapped(previous, health);
            if (capped != null) {
                conditions.add(capped);
            }
        }
        if (drift != null) {
            next.setDrift(drift.drift());
            conditions.addAll(drift.conditions());
        }
        List<Condition> before = previous == null ? null : previous.getConditions();
        if (o.topics() != null) {
            // a Metric's result topic, as Strimzi reports it; it says how results reach the topic, not whether the API serves them
            Condition topics = TopicObservation.topicReady(o.topics());
            if (topics != null) {
                conditions.add(topics);
            } else if (before != null) {
                before = before.stream().filter(c -> !Condition.TOPIC_READY.equals(c.getType())).toList();
            }
        }
        if (drift == null && health != null && before != null) {
            // not (or no longer) reconciled with a batch source: no drift figures, no drift conditions
            next.setDrift(null);
            before = before.stream().filter(c -> !Condition.DRIFT_WITHIN_TOLERANCE.equals(c.getType())
                    && !Condition.AUTHORITATIVE.equals(c.getType())).toList();
        }
        next.setObservedGeneration(generation);
        next.setConditions(Conditions.merge(before, conditions, generation, clock.instant()));
        PipelineStatus pipeline = new PipelineStatus();
        pipeline.setFlinkDeployment(o.pipeline().flinkDeployment());
        pipeline.setLifecycleState(o.pipeline().lifecycleState());
        pipeline.setJobState(o.pipeline().jobState());
        pipeline.setPlanHash(o.pipeline().planHash());
        pipeline.setReconciledPlanHash(o.pipeline().reconciledPlanHash());
        PipelineRestarts.of(previous == null ? null : previous.getPipeline(), o.pipeline()).applyTo(pipeline);
        pipeline.setAnalysisId(o.deployedAnalysisId());
        next.setPipeline(pipeline);
        return next;
    }

    /**
     * {@code CardinalityCapped} (it never changes Ready): True while a recent window of the active
     * version has an {@code __other__} row; False once none has, if it was there before (an
     * analysis that never hit its limit does not carry the condition); unchanged (null) when the
     * catalog could not be read.
     */
    static Condition cardinalityCapped(AnalysisStatus previous, HealthObservation health) {
        if (health.freshness() == null || health.freshnessError() != null) {
            return null;
        }
        Condition before = previous == null ? null : previous.condition(Condition.CARDINALITY_CAPPED).orElse(null);
        if (health.freshness().cappedWindow() != null) {
            String limit = "spec.limits.maxGroups (" + health.maxGroups() + ")";
            if (Conditions.isTrue(before) && before.getMessage() != null && before.getMessage().contains(limit)) {
                // still capped: the message keeps the window it first named, so the status is not rewritten every window
                return Conditions.of(Condition.CARDINALITY_CAPPED, Conditions.TRUE, Reasons.MAX_GROUPS_REACHED, before.getMessage());
            }
            return Conditions.of(Condition.CARDINALITY_CAPPED, Conditions.TRUE, Reasons.MAX_GROUPS_REACHED,
                    "the window starting " + health.freshness().cappedWindow() + " has more dimension combinations than " + limit
                            + ": the combinations after the first " + health.maxGroups()
                            + " to arrive are counted together under __other__; raise the limit or drop a dimension");
        }
        boolean wasThere = before != null;
        return wasThere ? Conditions.of(Condition.CARDINALITY_CAPPED, Conditions.FALSE, Reasons.WITHIN_MAX_GROUPS,
                "the latest windows have at most spec.limits.maxGroups (" + health.maxGroups() + ") dimension combinations each") : null;
    }

    /**
     * Ready, with the first reason that holds in the order docs/operations.md gives: the definition
     * (InvalidSpec and its kin, a pipeline that cannot be rendered, no Flink operator),
     * ServingStoreUnavailable, PipelineFailed, PipelineNotRunning (the plan does not hold this
     * version yet, or the Flink operator has not reconciled it, or the job is not RUNNING);
     * Backfilling and Fresh are applied after.
     */
    private static Condition ready(AnalysisObservation o, Condition valid, Condition running, long generation) {
        String type = Condition.READY;
        if (o.validity() != Validity.VALID) {
            return Conditions.of(type, Conditions.FALSE, valid.getReason(), valid.getMessage());
        }
        if (o.blockedReason() != null) {
            return Conditions.of(type, Conditions.FALSE, o.blockedReason(), o.blockedMessage());
        }
        if (o.pipeline().presence() == PipelineObservation.Presence.FLINK_NOT_INSTALLED) {
            return Conditions.of(type, Conditions.FALSE, running.getReason(), running.getMessage());
        }
        if (o.servingUnavailable() != null) {
            return Conditions.of(type, Conditions.FALSE, Reasons.SERVING_STORE_UNAVAILABLE,
                    o.servingUnavailable() + ": the API cannot serve this analysis");
        }
        if (PipelineObservation.failed(running)) {
            return Conditions.of(type, Conditions.FALSE, Reasons.PIPELINE_FAILED, running.getReason() + ": " + running.getMessage());
        }
        if (!Objects.equals(o.currentAnalysisId(), o.deployedAnalysisId())) {
            return Conditions.of(type, Conditions.FALSE, Reasons.PIPELINE_NOT_RUNNING, Reasons.PLAN_PENDING + ": the plan of pipeline "
                    + o.pipeline().flinkDeployment() + " does not hold generation " + generation + " yet");
        }
        if (!Conditions.isTrue(running)) {
            return Conditions.of(type, Conditions.FALSE, Reasons.PIPELINE_NOT_RUNNING, running.getReason() + ": " + running.getMessage());
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
            next.setServingVersion(previous.getServingVersion());
        }
        return next;
    }
}
