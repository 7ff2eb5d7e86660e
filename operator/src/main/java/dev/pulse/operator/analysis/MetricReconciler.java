package dev.pulse.operator.analysis;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.api.v1alpha1.metric.ReconciliationSpec;
import dev.pulse.operator.drift.DayComparer;
import dev.pulse.operator.drift.DriftCheck;
import dev.pulse.operator.drift.DriftStatusFactory;
import dev.pulse.operator.config.PulseConfig;
import dev.pulse.operator.platform.StrimziInstalled;
import dev.pulse.render.TopicRenderer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import dev.pulse.operator.platform.CrdPresence;
import dev.pulse.operator.platform.TopicOwner;
import dev.pulse.operator.status.TopicObservation;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import java.util.Optional;

/** Metric → status, and its result KafkaTopic when {@code outputTopic: true}. */
@ControllerConfiguration(name = "metric")
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "result-topic", type = ResultTopicDependentResource.class,
            activationCondition = StrimziInstalled.class, reconcilePrecondition = ResultTopicDependentResource.Wanted.class)
})
@RBACRule(apiGroups = "kafka.strimzi.io", resources = "kafkatopics", verbs = {"get", "list", "watch", "create", "update", "patch", "delete"})
@RBACRule(apiGroups = "flink.apache.org", resources = "flinkdeployments", verbs = {"get", "list", "watch"})
@RBACRule(apiGroups = "", resources = "configmaps", verbs = {"get", "list", "watch"})
@RBACRule(apiGroups = "pulse.dev", resources = "eventstreams", verbs = {"get", "list", "watch"})
public class MetricReconciler extends AnalysisReconciler<Metric> {
    private final TopicRenderer topics;
    private final DriftCheck driftCheck;

    public MetricReconciler(PulseConfig config, DriftCheck driftCheck) {
        this.topics = new TopicRenderer(config.renderSettings());
        this.driftCheck = driftCheck;
    }

    @Override
    protected DriftStep drift(Metric metric, AnalysisPlan deployed) {
        ReconciliationSpec spec = metric.getSpec().getReconciliation();
        if (spec == null) {
            return null;
        }
        int promoteAfter = spec.getPromoteAfterDays() == null ? DriftStatusFactory.DEFAULT_PROMOTE_AFTER_DAYS : spec.getPromoteAfterDays();
        DriftCheck.Result result = driftCheck.check(metric, deployed);
        DriftStatusFactory status = result.outcome() == null ? DriftStatusFactory.unchanged(metric.getStatus(), promoteAfter)
                : DriftStatusFactory.of(metric.getStatus(), result.outcome(), promoteAfter);
        return new DriftStep(status, result.recheckAfter());
    }

    @Override
    protected Double driftTolerance(Metric metric) {
        ReconciliationSpec spec = metric.getSpec().getReconciliation();
        return spec == null ? null : DayComparer.relativeTolerance(spec);
    }

    @Override
    protected Optional<TopicOwner> topicOwner(Metric metric) {
        return Optional.of(TopicOwner.metric(metric.getMetadata().getName()));
    }

    /** The result topic, when the Metric asks for one, as Strimzi reports it. */
    @Override
    protected List<TopicObservation> topics(Metric metric, Context<Metric> context) {
        var wanted = ResultTopicDependentResource.wanted(context);
        if (wanted.isEmpty() || !CrdPresence.shared().installed(KafkaTopic.class, context.getClient())) {
            return List.of();
        }
        String name = wanted.get().getMetadata().getName();
        KafkaTopic actual = context.getSecondaryResourcesAsStream(KafkaTopic.class).filter(t -> name.equals(t.getMetadata().getName()))
                .findFirst().orElse(null);
        return List.of(TopicObservation.of(name, actual));
    }

    @Override
    protected void reconcileValid(Metric metric, EventStream stream, AnalysisPlan plan, Context<Metric> context) {
        ResultTopicDependentResource.put(context, plan.outputTopic() == null ? null : topics.results(metric, plan, stream));
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    }
}
