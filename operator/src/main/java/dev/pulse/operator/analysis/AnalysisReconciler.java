package dev.pulse.operator.analysis;

import dev.pulse.api.compile.Compilation;
import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.v1alpha1.common.AnalysisLimits;
import dev.pulse.api.v1alpha1.common.AnalysisSpec;
import dev.pulse.api.v1alpha1.common.AnalysisStatus;
import dev.pulse.api.v1alpha1.common.DeletionPolicy;
import dev.pulse.api.v1alpha1.common.Durations;
import dev.pulse.operator.drift.DriftStatusFactory;
import dev.pulse.operator.health.StreamHealth;
import dev.pulse.operator.health.StreamProbes;
import dev.pulse.operator.metrics.PulseMetrics;
import dev.pulse.operator.status.HealthObservation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.operator.events.PulseEvents;
import dev.pulse.operator.platform.CrdPresence;
import dev.pulse.operator.eventstream.StreamCompiler;
import dev.pulse.render.PipelineException;
import dev.pulse.render.PlanConfigMapRenderer;
import dev.pulse.operator.serving.ServingStoreCheck;
import dev.pulse.operator.eventstream.ServingTables;
import dev.pulse.operator.platform.TopicDisposal;
import dev.pulse.operator.platform.TopicOwner;
import dev.pulse.operator.status.AnalysisObservation;
import dev.pulse.operator.status.Conditions;
import dev.pulse.operator.status.AnalysisStatusFactory;
import dev.pulse.operator.status.BackfillObservation;
import dev.pulse.operator.status.InvalidSpec;
import dev.pulse.operator.status.PipelineObservation;
import dev.pulse.api.v1alpha1.common.Reasons;
import dev.pulse.operator.status.StatusPatch;
import dev.pulse.operator.status.TopicObservation;
import dev.pulse.operator.status.Validity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * What Metric, Funnel and Retention reconcilers share: an analysis's status from its own
 * compilation against its stream, the plan its pipeline holds and the pipeline's FlinkDeployment.
 * The pipeline itself is the stream reconciler's work; an analysis only owns extras (a Metric's
 * result topic), created through {@link #reconcileValid} and only when the analysis is valid.
 */
public abstract class AnalysisReconciler<A extends CustomResource<?, AnalysisStatus>> implements Reconciler<A>, Cleaner<A> {
    static final Duration WAIT_FOR_FLINK = Duration.ofSeconds(60);
    /** How often a deletion with {@code deletionPolicy: Delete} looks again whether a job still writes the analysis's tables. */
    static final Duration WAIT_FOR_PIPELINE = Duration.ofSeconds(10);
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AnalysisReconciler.class);

    @Inject
    AnalysisStatusFactory statuses;

    @Inject
    PulseEvents events;

    @Inject
    StreamCompiler compiler;

    @Inject
    StreamProbes probes;

    @Inject
    PulseMetrics metrics;

    @Inject
    ServingStoreCheck servingStore;

    @Inject
    ServingTables servingTables;

    /** What the drift check of one reconcile gave: the figures and conditions, and when to look again. */
    protected record DriftStep(DriftStatusFactory status, Duration recheckAfter) {
    }

    @Override
    public List<EventSource<?, A>> prepareEventSources(EventSourceContext<A> context) {
        StreamReference.index(context.getPrimaryCache());
        // FlinkDeployments are watched from the first reconcile that finds their CRD installed
        return List.of(AnalysisSources.streams(context), AnalysisSources.plans(context),
                new HealthEventSource<>(probes, context.getPrimaryCache(), HasMetadata.getKind(context.getPrimaryResourceClass()), metrics));
    }

    /** The drift check (Metrics with reconciliation); null for none. */
    protected DriftStep drift(A analysis, AnalysisPlan deployed) {
        return null;
    }

    /** The relative drift tolerance exported as a gauge; null when not reconciled. */
    protected Double driftTolerance(A analysis) {
        return null;
    }

    /** The KafkaTopics the analysis owns (a Metric's result topic), for its TopicReady condition; none by default. */
    protected List<TopicObservation> topics(A analysis, Context<A> context) {
        return List.of();
    }

    /** Which KafkaTopics the analysis creates (a Metric's result topic), for its deletion; none by default. */
    protected Optional<TopicOwner> topicOwner(A analysis) {
        return Optional.empty();
    }

    /** What a valid analysis creates besides its slice of the stream's plan; nothing by default. */
    protected void reconcileValid(A analysis, EventStream stream, AnalysisPlan plan, Context<A> context) {
    }

    @Override
    public UpdateControl<A> reconcile(A analysis, Context<A> context) {
        String ns = analysis.getMetadata().getNamespace();
        String streamName = StreamReference.streamOf(analysis);
        Optional<EventStream> stream = stream(analysis, context);
        String pipeline = pipeline(analysis, stream);
        Optional<PipelinePlan> deployed = deployed(context, pipeline, ns);
        boolean flink = watchPipelines(context);
        PipelineObservation observed = !flink ? PipelineObservation.flinkNotInstalled(pipeline)
                : AnalysisSources.get(context, FlinkDeployment.class, AnalysisSources.PIPELINES, pipeline, ns)
                        .map(PipelineObservation::of).orElse(PipelineObservation.missing(pipeline));
        String deployedId = deployed.flatMap(p -> p.analysis(AnalysisKind.of(analysis), analysis.getMetadata().getName()))
                .map(AnalysisPlan::id).orElse(null);

        AnalysisObservation observation;
        if (stream.isEmpty()) {
            observation = new AnalysisObservation(Validity.STREAM_NOT_FOUND, "spec.stream: no EventStream '" + streamName
                    + "' in namespace '" + ns + "' (an analysis reads a stream of its own namespace)", null, deployedId, observed);
        } else {
            Compilation compilation = new PlanCompiler(deployed.map(p -> Map.of(pipeline, p)).orElse(Map.of()))
                    .compile(List.of(stream.get(), analysis));
            var own = compilation.problemsOf(analysis.getKind(), ns, analysis.getMetadata().getName());
            var ofStream = compilation.problemsOf(stream.get().getKind(), ns, streamName);
            if (!ofStream.isEmpty()) {
                observation = new AnalysisObservation(Validity.STREAM_INVALID, "spec.stream: EventStream '" + streamName
                        + "' is itself invalid (see its status)", null, deployedId, observed);
            } else if (!own.isEmpty()) {
                observation = new AnalysisObservation(Validity.INVALID_SPEC, InvalidSpec.describe(own), null, deployedId, observed);
            } else {
                PipelinePlan compiled = compilation.plans().stream().filter(p -> p.pipeline().equals(pipeline)).findFirst().orElseThrow();
                AnalysisPlan plan = compiled.analysis(AnalysisKind.of(analysis), analysis.getMetadata().getName()).orElseThrow();
                reconcileValid(analysis, stream.get(), plan, context);
                // what keeps the stream's reconciler from deploying this pipeline (same template, same check)
                Optional<PipelineException> blocked = compiler.blocked(stream.get(), compiled);
                observation = new AnalysisObservation(Validity.VALID, null, plan.id(), deployedId, observed,
                        blocked.map(PipelineException::reason).orElse(null), blocked.map(PipelineException::getMessage).orElse(null));
            }
        }

        observation = observation.with(deployed.map(PipelinePlan::jobHash).orElse(null),
                observation.validity() == Validity.VALID ? servingStore.unavailable().orElse(null) : null)
                .withTopics(observation.validity() == Validity.VALID ? topics(analysis, context) : null);
        if (observation.validity() == Validity.INVALID_SPEC && InvalidSpec.isNews(analysis.getStatus(), observation.validityMessage())) {
            events.warning(analysis, Reasons.INVALID_SPEC, observation.validityMessage());
        }
        AnalysisPlan deployedPlan = deployed.flatMap(p -> p.analysis(AnalysisKind.of(analysis), analysis.getMetadata().getName())).orElse(null);
        HealthObservation health = health(analysis, ns, streamName, deployed.orElse(null), deployedPlan);
        DriftStep drift = drift(analysis, deployedPlan);
        BackfillObservation backfill = backfill(ns, streamName, deployedPlan);
        AnalysisStatus next = statuses.status(analysis.getStatus(), analysis.getMetadata().getGeneration(), observation, health,
                drift == null ? null : drift.status(), backfill);
        String servedBefore = analysis.getStatus() == null ? null : analysis.getStatus().getServingVersion();
        if (servedBefore != null && next.getServingVersion() != null && !servedBefore.equals(next.getServingVersion())) {
            events.normal(analysis, Reasons.CUT_OVER, "the API now answers from version " + next.getServingVersion()
                    + " (was " + servedBefore + ")");
        }
        metrics.record(ns, analysis.getKind(), analysis.getMetadata().getName(),
                analysis.getSpec() instanceof AnalysisSpec spec ? spec.getOwner() : null, next, health.allowedSeconds(), driftTolerance(analysis));
        UpdateControl<A> control = StatusPatch.ifChanged(analysis, next, context);
        Duration after = flink ? null : WAIT_FOR_FLINK;
        if (drift != null && drift.recheckAfter() != null && (after == null || drift.recheckAfter().compareTo(after) < 0)) {
            after = drift.recheckAfter();
        }
        return after == null ? control : control.rescheduleAfter(after);
    }

    /**
     * The analysis is being deleted. The stream's reconciler has already taken it out of the plan
     * (an analysis marked for deletion is not compiled). Per {@code spec.deletionPolicy}:
     * {@code Retain} retires its serving tables and releases the KafkaTopics it created;
     * {@code Delete} waits until no job of its pipeline still writes its tables (a job started from
     * the old plan would create them again), then drops them and deletes its KafkaTopics. A serving
     * database that cannot be reached fails the cleanup, which JOSDK retries; the finalizer stays until it succeeds.
     */
    @Override
    public DeleteControl cleanup(A analysis, Context<A> context) {
        String ns = analysis.getMetadata().getNamespace();
        String name = analysis.getMetadata().getName();
        DeletionPolicy policy = DeletionPolicy.of(analysis.getSpec() instanceof AnalysisSpec spec ? spec.getDeletionPolicy() : null);
        if (policy == DeletionPolicy.Delete) {
            Optional<String> writer = writer(analysis, context);
            if (writer.isPresent()) {
                LOG.debugf("%s %s/%s: waiting to drop its tables: %s", analysis.getKind(), ns, name, writer.get());
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(WAIT_FOR_PIPELINE.toMillis());
            }
        }
        List<String> done = new java.util.ArrayList<>();
        String tables = servingTables.dispose(ns, AnalysisKind.of(analysis), name, policy);
        if (!tables.isEmpty()) {
            done.add(tables);
        }
        Optional<TopicOwner> topics = topicOwner(analysis);
        if (topics.isPresent() && CrdPresence.shared().installed(KafkaTopic.class, context.getClient())) {
            done.addAll(TopicDisposal.dispose(context.getClient(), analysis, topics.get(), policy, t -> false));
        }
        if (!done.isEmpty()) {
            events.normal(analysis, policy == DeletionPolicy.Delete ? Reasons.DATA_DELETED : Reasons.DATA_RETAINED,
                    "deletionPolicy " + policy + ": " + String.join("; ", done));
        }
        return DeleteControl.defaultDelete();
    }

    /**
     * What may still write the analysis's tables, or empty when nothing can: its pipeline's
     * FlinkDeployment is gone (or there is no Flink operator), or the plan that pipeline was given
     * no longer holds the analysis and the Flink operator runs that plan (or no job of it runs).
     */
    private Optional<String> writer(A analysis, Context<A> context) {
        String ns = analysis.getMetadata().getNamespace();
        String pipeline = pipeline(analysis, stream(analysis, context));
        if (!watchPipelines(context)) {
            return Optional.empty();
        }
        Optional<FlinkDeployment> fd = AnalysisSources.get(context, FlinkDeployment.class, AnalysisSources.PIPELINES, pipeline, ns);
        if (fd.isEmpty()) {
            return Optional.empty();
        }
        Optional<PipelinePlan> deployed = deployed(context, pipeline, ns);
        if (deployed.isEmpty() || deployed.get().analysis(AnalysisKind.of(analysis), analysis.getMetadata().getName()).isPresent()) {
            return Optional.of("the plan of pipeline " + pipeline + " still holds it");
        }
        PipelineObservation observed = PipelineObservation.of(fd.get());
        String wanted = deployed.get().jobHash();
        if (!wanted.equals(observed.planHash())) {
            return Optional.of("FlinkDeployment " + pipeline + " does not ask for plan " + wanted + " yet");
        }
        if (observed.reading() && !Conditions.TRUE.equals(observed.pipelineRunning(wanted).getStatus())) {
            return Optional.of("the job of " + pipeline + " may still run an older plan");
        }
        return Optional.empty();
    }

    /** The stream the analysis reads, when it exists. */
    private Optional<EventStream> stream(A analysis, Context<A> context) {
        String streamName = StreamReference.streamOf(analysis);
        return streamName == null ? Optional.empty()
                : AnalysisSources.get(context, EventStream.class, AnalysisSources.STREAMS, streamName, analysis.getMetadata().getNamespace());
    }

    /** The pipeline that computes the analysis (named also when its stream does not exist). */
    private String pipeline(A analysis, Optional<EventStream> stream) {
        String ns = analysis.getMetadata().getNamespace();
        return PlanCompiler.pipelineName(stream.orElseGet(() -> StreamReference.stub(ns, StreamReference.streamOf(analysis))), analysis);
    }

    /** The plan the pipeline was given (its plan ConfigMap). */
    private Optional<PipelinePlan> deployed(Context<A> context, String pipeline, String ns) {
        return AnalysisSources.get(context, ConfigMap.class, AnalysisSources.PLANS, PlanConfigMapRenderer.name(pipeline), ns)
                .flatMap(PlanConfigMapRenderer::plan);
    }

    @Override
    public ErrorStatusUpdateControl<A> updateErrorStatus(A analysis, Context<A> context, Exception e) {
        metrics.reconcileError(analysis.getMetadata().getNamespace(), analysis.getKind(), analysis.getMetadata().getName());
        LOG.debugf(e, "reconciling %s %s/%s failed", analysis.getKind(), analysis.getMetadata().getNamespace(), analysis.getMetadata().getName());
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    /** Where the deployed version stands on its history, from the latest probe round; null when not probed yet. */
    private BackfillObservation backfill(String ns, String streamName, AnalysisPlan deployed) {
        if (deployed == null || streamName == null) {
            return null;
        }
        Optional<StreamHealth> round = probes.latest(ns, streamName);
        if (round.isEmpty()) {
            return null;
        }
        StreamHealth h = round.get();
        var b = deployed.backfill();
        var reading = b != null && b.readsHistory() ? h.backfills().get(b.historyId()) : null;
        var served = h.freshness().get(StreamHealth.key(deployed.kind().name(), deployed.name()));
        return new BackfillObservation(deployed.semanticHash(), b, reading, served == null ? null : served.version());
    }

    /** What the latest probe round of the stream says about this analysis. */
    private HealthObservation health(A analysis, String ns, String streamName, PipelinePlan pipeline, AnalysisPlan plan) {
        Duration objective = analysis.getSpec() instanceof AnalysisSpec spec
                ? Durations.parse(spec.getFreshnessObjective()).orElse(HealthObservation.DEFAULT_OBJECTIVE) : HealthObservation.DEFAULT_OBJECTIVE;
        Duration delay = HealthObservation.expectedDelay(plan, pipeline == null ? 0 : pipeline.stream().maxOutOfOrdernessMs());
        long windowMs = plan == null || plan.window() == null ? 0 : plan.window().sizeMs();
        int maxGroups = plan == null ? AnalysisLimits.DEFAULT_MAX_GROUPS : plan.groupLimit();
        Optional<StreamHealth> round = streamName == null ? Optional.empty() : probes.latest(ns, streamName);
        if (round.isEmpty() || pipeline == null) {
            return new HealthObservation(null, null, null, null, objective, delay, windowMs, maxGroups);
        }
        StreamHealth h = round.get();
        return new HealthObservation(h.asOf(), h.lag().get(pipeline.stream().consumerGroup()),
                h.freshness().get(StreamHealth.key(analysis.getKind(), analysis.getMetadata().getName())), h.freshnessError(),
                objective, delay, windowMs, maxGroups, probes.now(), probes.stalledAfter());
    }

    /** Whether FlinkDeployments can be watched; starts watching them the first time their CRD is found. */
    private boolean watchPipelines(Context<A> context) {
        if (AnalysisSources.watchingPipelines(context)) {
            return true;
        }
        if (!CrdPresence.shared().installed(FlinkDeployment.class, context.getClient())) {
            return false;
        }
        var retriever = context.eventSourceRetriever();
        retriever.dynamicallyRegisterEventSource(AnalysisSources.pipelines(retriever.eventSourceContextForDynamicRegistration()));
        return true;
    }
}
