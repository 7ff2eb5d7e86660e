package dev.pulse.operator.analysis;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.operator.config.PulseConfig;
import dev.pulse.operator.platform.StrimziInstalled;
import dev.pulse.operator.render.RenderSettings;
import dev.pulse.operator.render.TopicRenderer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.quarkiverse.operatorsdk.annotations.RBACRule;

/** Metric → status, and its result KafkaTopic when {@code outputTopic: true}. */
@ControllerConfiguration(name = "metric")
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "result-topic", type = ResultTopicDependentResource.class,
            activationCondition = StrimziInstalled.class, reconcilePrecondition = ResultTopicDependentResource.Wanted.class)
})
@RBACRule(apiGroups = "kafka.strimzi.io", resources = "kafkatopics", verbs = {"get", "list", "watch", "create", "update", "patch"})
@RBACRule(apiGroups = "flink.apache.org", resources = "flinkdeployments", verbs = {"get", "list", "watch"})
@RBACRule(apiGroups = "", resources = "configmaps", verbs = {"get", "list", "watch"})
@RBACRule(apiGroups = "pulse.dev", resources = "eventstreams", verbs = {"get", "list", "watch"})
public class MetricReconciler extends AnalysisReconciler<Metric> {
    private final TopicRenderer topics;

    public MetricReconciler(PulseConfig config) {
        this.topics = new TopicRenderer(RenderSettings.from(config));
    }

    @Override
    protected void reconcileValid(Metric metric, EventStream stream, AnalysisPlan plan, Context<Metric> context) {
        ResultTopicDependentResource.put(context, plan.outputTopic() == null ? null : topics.results(metric, plan, stream));
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    }
}
