package dev.pulse.operator.eventstream;

import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.AnalysisChange;
import dev.pulse.api.plan.PipelineChange;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanChanges;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.DeletionPolicy;
import dev.pulse.api.plan.DeadLetters;
import dev.pulse.api.v1alpha1.eventstream.EventStreamStatus;
import dev.pulse.api.v1alpha1.eventstream.InputStatus;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.funnel.Funnel;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.api.v1alpha1.retention.Retention;
import dev.pulse.operator.analysis.StreamReference;
import dev.pulse.operator.events.PulseEvents;
import dev.pulse.operator.health.StreamHealth;
import dev.pulse.operator.health.StreamProbes;
import dev.pulse.operator.status.HealthObservation;
import dev.pulse.api.v1alpha1.common.AnalysisLimits;
import dev.pulse.operator.metrics.PulseMetrics;
import dev.pulse.operator.platform.CrdPresence;
import dev.pulse.operator.platform.FlinkOperatorInstalled;
import dev.pulse.operator.platform.StrimziInstalled;
import dev.pulse.operator.platform.TopicDisposal;
import dev.pulse.operator.platform.TopicOwner;
import dev.pulse.render.Labels;
import dev.pulse.render.PipelineException;
import dev.pulse.operator.status.Conditions;
import dev.pulse.operator.status.InputStatuses;
import dev.pulse.operator.status.InvalidSpec;
import dev.pulse.operator.status.PipelineObservation;
import dev.pulse.operator.status.PipelineLags;
import dev.pulse.api.v1alpha1.common.Reasons;
import dev.pulse.operator.status.StreamObservation;
import dev.pulse.operator.status.StatusPatch;
import dev.pulse.operator.status.StreamStatusFactory;
import dev.pulse.operator.status.TopicObservation;
import dev.pulse.operator.serving.ServingStoreCheck;
import dev.pulse.operator.status.Validity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * EventStream → its KafkaTopic, plan ConfigMaps, FlinkDeployments and Grafana dashboard ConfigMaps. Recompiles when the stream
 * or any analysis reading it changes. An invalid stream changes nothing: the workflow is invoked
 * only for a stream that compiles, so the last valid pipeline keeps running. Nor does a valid stream
 * whose pipelines cannot be rendered or must not run (a missing template, state that would not be
 * durable): Ready=False with the reason, a Warning Event, and what runs stays as it is. A stream
 * without {@code kafka.external} that names a topic existing already is refused ({@link TopicAdoption});
 * its deletion applies {@code spec.deletionPolicy} to its KafkaTopics ({@link #cleanup}).
 */
@ControllerConfiguration(name = "eventstream")
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "input-topic", type = InputTopicDependentResource.class,
            activationCondition = StrimziInstalled.class, reconcilePrecondition = InputTopicDependentResource.Wanted.class),
    @Dependent(name = "dead-letter-topic", type = DeadLetterTopicDependentResource.class, activationCondition = StrimziInstalled.class),
    @Dependent(name = "plan", type = PlanConfigMapDependentResource.class),
    @Dependent(name = "dashboard", type = DashboardConfigMapDependentResource.class),
    @Dependent(name = "pipeline", type = FlinkDeploymentDependentResource.class, dependsOn = "plan",
            activationCondition = FlinkOperatorInstalled.class)
})
@RBACRule(apiGroups = "kafka.strimzi.io", resources = "kafkatopics", verbs = {"get", "list", "watch", "create", "update", "patch", "delete"})
@RBACRule(apiGroups = "flink.apache.org", resources = "flinkdeployments",
        verbs = {"get", "list", "watch", "create", "update", "patch", "delete"})
@RBACRule(apiGroups = "", resources = "configmaps", verbs = {"get", "list", "watch", "create", "update", "patch", "delete"})
@RBACRule(apiGroups = "", resources = "events", verbs = {"create", "patch"})
@RBACRule(apiGroups = "apiextensions.k8s.io", resources = "customresourcedefinitions", verbs = {"get", "list"})
@RBACRule(apiGroups = "pulse.dev", resources = {"metrics", "funnels", "retentions"}, verbs = {"get", "list", "watch"})
public class EventStreamReconciler implements Reconciler<EventStream>, Cleaner<EventStream> {
    /** How often a stream waiting for Strimzi or the Flink operator to be installed looks again. */
    static final Duration WAIT_FOR_PLATFORM = Duration.ofSeconds(60);

    private final StreamCompiler compiler;
    private final StreamStatusFactory statuses;
    private final PulseEvents events;

    private final StreamProbes probes;
    private final PulseMetrics metrics;
    private final ServingTables servingTables;
    private final UpgradeBatch batch;
    private final MalformedRecordsNotice malformedNotice;
    private final ServingStoreCheck servingStore;
    private final ReconcileSteps steps;
    private final TopicAdoption adoption;

    public EventStreamReconciler(StreamCompiler compiler, StreamStatusFactory statuses, PulseEvents events, StreamProbes probes,
            PulseMetrics metrics, ServingTables servingTables, UpgradeBatch batch, Clock clock, ServingStoreCheck servingStore,
            ReconcileSteps steps, TopicAdoption adoption) {
        this.steps = steps;
        this.adoption = adoption;
        this.servingStore = servingStore;
        this.malformedNotice = new MalformedRecordsNotice(clock);
        this.batch = batch;
        this.compiler = compiler;
        this.statuses = statuses;
        this.events = events;
        this.probes = probes;
        this.metrics = metrics;
        this.servingTables = servingTables;
    }

    @Override
    public List<EventSource<?, EventStream>> prepareEventSources(EventSourceContext<EventStream> context) {
        probes.watch(context.getPrimaryCache());
        return List.of(analyses(Metric.class, "metrics", context), analyses(Funnel.class, "funnels", context),
                analyses(Retention.class, "retentions", context), new InputEventSource(probes));
    }

    private static <A extends HasMetadata> EventSource<?, EventStream> analyses(Class<A> kind, String name,
            EventSourceContext<EventStream> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, EventStream.class)
                .withName(name)
                .withSecondaryToPrimaryMapper(StreamReference::streamIdOf)
                // status-only updates (the analysis reconcilers' own writes) change no plan; a deletion takes the analysis out of it
                .withOnUpdateFilter((next, old) -> !Objects.equals(next.getMetadata().getGeneration(), old.getMetadata().getGeneration())
                        || next.isMarkedForDeletion() != old.isMarkedForDeletion())
                .build(), context);
    }

    @Override
    public UpdateControl<EventStream> reconcile(EventStream stream, Context<EventStream> context) {
        StreamState state = compiler.compile(stream, context);
        if (state.inputTopic() != null && CrdPresence.shared().installed(KafkaTopic.class, context.getClient())) {
            var refused = adoption.check(stream, state.inputTopic(), context);
            if (refused.isPresent()) {
                state = StreamState.invalid(List.of(refused.get()));
            }
        }
        StreamWorkflow.put(context, state, steps);
        var deployed = StreamCompiler.deployedPlans(context).values();
        String key = stream.getMetadata().getNamespace() + "/" + stream.getMetadata().getName();
        Duration hold = state.deployable() ? batch.holdFor(key, deployed, state.plans()) : Duration.ZERO;
        if (state.deployable() && hold.isZero()) {
            PlanChanges changes = PlanChanges.between(List.copyOf(deployed), state.plans());
            announce(stream, changes);
            servingTables.retire(changes.analyses().stream().filter(c -> c.type() == AnalysisChange.Type.Removed).toList());
            // only when the analyses' tables or catalog rows change; a change that needs no new table goes on while PostgreSQL is down
            servingTables.apply(key, state.plans(), deployed);
            steps.passed(stream, ReconcileSteps.Step.TABLES);
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
            probes.track(stream, state.plans());
        }

        boolean strimzi = CrdPresence.shared().installed(KafkaTopic.class, context.getClient());
        boolean flink = CrdPresence.shared().installed(FlinkDeployment.class, context.getClient());
        StreamObservation observation = observe(stream, state, strimzi, flink, context);
        if (observation.validity() == Validity.VALID) {
            Optional<StreamHealth> round = probes.latest(stream.getMetadata().getNamespace(), stream.getMetadata().getName());
            observation = new StreamObservation(observation.validity(), observation.validityMessage(), observation.blockedReason(),
                    observation.blockedMessage(), observation.desiredPlanHash(), observation.pipeline(),
                    strimzi ? topics(state, context) : List.of(), servingStore.unavailable().orElse(null), health(stream, state, round),
                    pipelineLags(state, round));
        }
        if (observation.validity() != Validity.VALID && InvalidSpec.isNews(stream.getStatus(), observation.validityMessage())) {
            events.warning(stream, Reasons.INVALID_SPEC, observation.validityMessage());
        }
        PipelineException blocked = state.blocked();
        if (blocked != null && !Conditions.saysFalse(stream.getStatus(), Condition.READY, blocked.reason(), blocked.getMessage())) {
            events.warning(stream, blocked.reason(), blocked.getMessage());
        }
        InputStatus input = input(stream, state, context);
        String notice = malformedNotice.due(stream.getMetadata().getNamespace() + "/" + stream.getMetadata().getName(),
                stream.getStatus() == null ? null : stream.getStatus().getInput(), input);
        if (notice != null) {
            events.warning(stream, MalformedRecordsNotice.REASON, notice);
        }
        EventStreamStatus next = statuses.status(stream.getStatus(), stream.getMetadata().getGeneration(), observation, input);
        steps.passed(stream, ReconcileSteps.Step.STATUS);
        UpdateControl<EventStream> control = StatusPatch.ifChanged(stream, next, context);
        if (!hold.isZero()) {
            // more changes may follow within the batch window: roll the pipelines out once, then
            return control.rescheduleAfter(hold);
        }
        return strimzi && flink ? control : control.rescheduleAfter(WAIT_FOR_PLATFORM);
    }

    /**
     * The stream is being deleted: its pipelines go with it (owner references), and the KafkaTopics
     * it created are released or deleted per {@code spec.deletionPolicy} ({@link TopicDisposal}). An
     * external input topic was never its own; one it created before becoming external is only released.
     */
    @Override
    public DeleteControl cleanup(EventStream stream, Context<EventStream> context) {
        DeletionPolicy policy = DeletionPolicy.of(stream.getSpec().getDeletionPolicy());
        if (CrdPresence.shared().installed(KafkaTopic.class, context.getClient())) {
            boolean external = Boolean.TRUE.equals(stream.getSpec().getKafka().getExternal());
            List<String> done = TopicDisposal.dispose(context.getClient(), stream, TopicOwner.stream(stream.getMetadata().getName()), policy,
                    t -> external && t.getMetadata().getLabels() != null
                    && Labels.ROLE_INPUT_TOPIC.equals(t.getMetadata().getLabels().get(Labels.ROLE)));
            if (!done.isEmpty()) {
                events.normal(stream, policy == DeletionPolicy.Delete ? Reasons.DATA_DELETED : Reasons.DATA_RETAINED,
                        "deletionPolicy " + policy + ": " + String.join("; ", done));
            }
        }
        return DeleteControl.defaultDelete();
    }

    @Override
    public ErrorStatusUpdateControl<EventStream> updateErrorStatus(EventStream stream, Context<EventStream> context, Exception e) {
        metrics.reconcileError(stream.getMetadata().getNamespace(), stream.getKind(), stream.getMetadata().getName());
        // a conflict or a blip is retried at once; say so in the status only when it persists
        boolean persistent = context.getRetryInfo().map(r -> r.isLastAttempt() || r.getAttemptCount() >= 3).orElse(true);
        if (!persistent) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        String reason = e instanceof PipelineException pe ? pe.reason() : Reasons.RECONCILE_FAILED;
        EventStreamStatus next = statuses.failed(stream.getStatus(), stream.getMetadata().getGeneration(), reason, e.getMessage());
        return StatusPatch.failed(stream, next, context);
    }

    /**
     * The stream's dead-letter counts since the pipeline that writes its malformed records last
     * started (the job start time its FlinkDeployment reports), or null to keep the status' current
     * ones. Also tells the probes which start to count from.
     */
    private InputStatus input(EventStream stream, StreamState state, Context<EventStream> context) {
        if (!state.valid()) {
            return null;
        }
        String pipeline = PlanCompiler.leadPipeline(stream, state.plans().stream().map(PipelinePlan::pipeline).toList());
        Instant since = context.getSecondaryResourcesAsStream(FlinkDeployment.class)
                .filter(fd -> fd.getMetadata().getName().equals(pipeline))
                .findFirst().map(EventStreamReconciler::jobStart).orElse(null);
        String topic = DeadLetters.topic(stream.getSpec().getKafka().getTopic());
        if (since != null) {
            probes.countInput(stream, topic, since);
        }
        return probes.input(stream.getMetadata().getNamespace(), stream.getMetadata().getName())
                .filter(r -> r.topic().equals(topic) && r.since().equals(since))
                .map(InputStatuses::of).orElse(null);
    }

    /**
     * What the stream's latest probe round saw of its shared pipeline (its consumer group's lag,
     * whether Kafka and the catalog answered, how old the round is), or null when not probed yet.
     */
    private HealthObservation health(EventStream stream, StreamState state, Optional<StreamHealth> round) {
        Optional<PipelinePlan> plan = state.plan(PlanCompiler.pipelineName(stream));
        if (plan.isEmpty() || round.isEmpty()) {
            return null;
        }
        StreamHealth h = round.get();
        return new HealthObservation(h.asOf(), h.lag().get(plan.get().stream().consumerGroup()), null, h.freshnessError(),
                HealthObservation.DEFAULT_OBJECTIVE, Duration.ZERO, 0, AnalysisLimits.DEFAULT_MAX_GROUPS, probes.now(), probes.stalledAfter());
    }

    /** What the stream's latest probe round saw of each of its pipelines' consumer groups (empty when not probed yet). */
    private static List<PipelineLags.Reading> pipelineLags(StreamState state, Optional<StreamHealth> round) {
        if (round.isEmpty()) {
            return List.of();
        }
        return state.plans().stream().map(p -> new PipelineLags.Reading(p.pipeline(), p.stream().consumerGroup(),
                round.get().lag().get(p.stream().consumerGroup()))).toList();
    }

    /** When the FlinkDeployment's current job started, as the Flink operator reports it (epoch millis), or null. */
    static Instant jobStart(FlinkDeployment fd) {
        var status = fd.getStatus();
        String start = status == null || status.getJobStatus() == null ? null : status.getJobStatus().getStartTime();
        try {
            return start == null || start.isBlank() ? null : Instant.ofEpochMilli(Long.parseLong(start.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The stream's own KafkaTopics (its input unless external, its dead letters) as Strimzi reports them. */
    private static List<TopicObservation> topics(StreamState state, Context<EventStream> context) {
        List<TopicObservation> out = new ArrayList<>();
        for (KafkaTopic wanted : java.util.Arrays.asList(state.inputTopic(), state.deadLetterTopic())) {
            if (wanted == null) {
                continue;
            }
            String name = wanted.getMetadata().getName();
            KafkaTopic actual = context.getSecondaryResourcesAsStream(KafkaTopic.class).filter(t -> name.equals(t.getMetadata().getName()))
                    .findFirst().orElse(null);
            out.add(TopicObservation.of(name, actual));
        }
        return out;
    }

    /** A Normal Event saying what a plan roll-out changes, per analysis (the classification {@code pulse plan} prints). */
    private void announce(EventStream stream, PlanChanges changes) {
        List<String> parts = new ArrayList<>();
        for (AnalysisChange c : changes.analyses()) {
            if (c.type() != AnalysisChange.Type.Unchanged) {
                parts.add(c.kind() + " " + c.name() + ": " + c.type() + (c.changed().isEmpty() ? "" : " (" + String.join(", ", c.changed()) + ")"));
            }
        }
        changes.pipelines().stream().filter(p -> p.type() != PipelineChange.Type.Unchanged)
                .forEach(p -> parts.add("pipeline " + p.pipeline() + ": " + p.type()));
        if (!parts.isEmpty()) {
            events.normal(stream, Reasons.PLAN_CHANGED, String.join("; ", parts));
        }
    }

    private static StreamObservation observe(EventStream stream, StreamState state, boolean strimzi, boolean flink,
            Context<EventStream> context) {
        String pipeline = PlanCompiler.pipelineName(stream);
        PipelineObservation observed = !flink ? PipelineObservation.flinkNotInstalled(pipeline)
                : context.getSecondaryResourcesAsStream(FlinkDeployment.class)
                        .filter(fd -> pipeline.equals(fd.getMetadata().getName()))
                        .findFirst().map(PipelineObservation::of).orElse(PipelineObservation.missing(pipeline));
        if (!state.valid()) {
            return new StreamObservation(Validity.INVALID_SPEC, InvalidSpec.describe(state.problems()), null, null, null, observed);
        }
        String desiredHash = state.plan(pipeline).map(PipelinePlan::jobHash).orElse(null);
        if (state.blocked() != null) {
            return new StreamObservation(Validity.VALID, null, state.blocked().reason(), state.blocked().getMessage(), desiredHash, observed);
        }
        if (!strimzi && state.inputTopic() != null) {
            return new StreamObservation(Validity.VALID, null, Reasons.STRIMZI_NOT_INSTALLED,
                    "the cluster has no KafkaTopic resource type: install Strimzi, or set spec.kafka.external: true", desiredHash, observed);
        }
        return new StreamObservation(Validity.VALID, null, null, null, desiredHash, observed);
    }
}
