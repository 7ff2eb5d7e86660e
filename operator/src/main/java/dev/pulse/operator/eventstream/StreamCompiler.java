package dev.pulse.operator.eventstream;

import dev.pulse.api.compile.Compilation;
import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.funnel.Funnel;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.api.v1alpha1.retention.Retention;
import dev.pulse.operator.analysis.StreamReference;
import dev.pulse.operator.config.PulseConfig;
import dev.pulse.operator.platform.CrdPresence;
import dev.pulse.operator.status.PipelineObservation;
import dev.pulse.render.FlinkDeploymentRenderer;
import dev.pulse.render.GrafanaDashboardRenderer;
import dev.pulse.render.PipelineException;
import dev.pulse.render.PipelineTemplates;
import dev.pulse.render.PlanConfigMapRenderer;
import dev.pulse.render.RenderSettings;
import dev.pulse.render.StateDurability;
import dev.pulse.render.TopicRenderer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.JobState;

/**
 * Compiles a stream with every analysis that reads it (as the informers see them) and renders
 * the objects its pipelines need. The plans in the stream's current ConfigMaps are the previous
 * plans, so an analysis made invalid keeps running at its last valid version.
 */
@ApplicationScoped
public class StreamCompiler {
    private final RenderSettings settings;
    private final PipelineTemplates templates;
    private final TopicRenderer topics;
    private final FlinkDeploymentRenderer pipelines;
    private final GrafanaDashboardRenderer dashboards;
    private final Pinning pinning;

    /** Pins the new versions of a plan ({@link HandOver#pin}). */
    @FunctionalInterface
    public interface Pinning {
        PipelinePlan pin(EventStream stream, PipelinePlan plan, PipelinePlan deployed, boolean stopped);
    }

    @Inject
    public StreamCompiler(PulseConfig config, HandOver handOver) {
        this(config.renderSettings(), new PipelineTemplates(config.templates().directory().map(Path::of)), handOver::pin);
    }

    /** A compiler that leaves plans unpinned (rendering only). */
    public StreamCompiler(RenderSettings settings, PipelineTemplates templates) {
        this(settings, templates, (stream, plan, deployed, stopped) -> plan);
    }

    /**
     * @param pinning pins the new versions of a compiled plan before it is rendered ({@link HandOver})
     */
    public StreamCompiler(RenderSettings settings, PipelineTemplates templates, Pinning pinning) {
        this.pinning = pinning;
        this.settings = settings;
        this.templates = templates;
        this.topics = new TopicRenderer(settings);
        this.pipelines = new FlinkDeploymentRenderer(settings);
        this.dashboards = new GrafanaDashboardRenderer(settings.grafanaDatasourceUid());
    }

    public StreamState compile(EventStream stream, Context<EventStream> context) {
        List<HasMetadata> analyses = new ArrayList<>();
        analyses.addAll(context.getSecondaryResources(Metric.class));
        analyses.addAll(context.getSecondaryResources(Funnel.class));
        analyses.addAll(context.getSecondaryResources(Retention.class));
        // an analysis being deleted leaves the plan at once; its own cleanup waits for that (deletionPolicy)
        analyses.removeIf(HasMetadata::isMarkedForDeletion);
        Set<String> reading = new HashSet<>();
        if (CrdPresence.shared().installed(FlinkDeployment.class, context.getClient())) {
            context.getSecondaryResourcesAsStream(FlinkDeployment.class).filter(fd -> PipelineObservation.of(fd).reading())
                    .forEach(fd -> reading.add(fd.getMetadata().getName()));
        }
        return compile(stream, analyses, deployedPlans(context), reading);
    }

    /** The plans in the stream's ConfigMaps, by pipeline. */
    static Map<String, PipelinePlan> deployedPlans(Context<EventStream> context) {
        Map<String, PipelinePlan> previous = new HashMap<>();
        for (ConfigMap cm : context.getSecondaryResources(ConfigMap.class)) {
            PlanConfigMapRenderer.plan(cm).ifPresent(p -> previous.put(p.pipeline(), p));
        }
        return previous;
    }

    /** The stream's state from the given analyses (those of other streams are ignored) and previous plans, no pipeline reading. */
    public StreamState compile(EventStream stream, List<? extends HasMetadata> analyses, Map<String, PipelinePlan> previous) {
        return compile(stream, analyses, previous, Set.of());
    }

    /**
     * The stream's state from the given analyses (those of other streams are ignored) and previous
     * plans. A plan with new versions to pin whose pipeline is still reading is not deployed yet:
     * the pipeline is suspended (with a savepoint) at its deployed plan, and the new plan is pinned
     * and deployed once it has stopped.
     *
     * @param reading the pipelines whose job may be reading now
     */
    public StreamState compile(EventStream stream, List<? extends HasMetadata> analyses, Map<String, PipelinePlan> previous,
            Set<String> reading) {
        String ns = stream.getMetadata().getNamespace();
        String name = stream.getMetadata().getName();
        List<HasMetadata> resources = new ArrayList<>();
        resources.add(stream);
        analyses.stream().filter(a -> ns.equals(a.getMetadata().getNamespace()) && name.equals(StreamReference.streamOf(a)))
                .forEach(resources::add);
        Compilation compilation = new PlanCompiler(previous).compile(resources);
        var streamProblems = compilation.problemsOf(stream.getKind(), ns, name);
        if (!streamProblems.isEmpty()) {
            return StreamState.invalid(streamProblems);
        }
        String shared = PlanCompiler.pipelineName(stream);
        List<PipelinePlan> plans = compilation.plans().stream()
                .filter(p -> ns.equals(p.stream().namespace()) && name.equals(p.stream().name()))
                .sorted(Comparator.comparing((PipelinePlan p) -> !p.pipeline().equals(shared)).thenComparing(PipelinePlan::pipeline))
                .map(p -> pinning.pin(stream, p, previous.get(p.pipeline()), !reading.contains(p.pipeline())))
                .toList();
        String lead = PlanCompiler.leadPipeline(stream, plans.stream().map(PipelinePlan::pipeline).toList());
        try {
            Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
            Map<String, FlinkDeployment> deployments = new LinkedHashMap<>();
            Map<String, ConfigMap> dashboardMaps = new LinkedHashMap<>();
            for (PipelinePlan plan : plans) {
                PipelinePlan deployed = previous.get(plan.pipeline());
                if (plan.needsPinning(deployed) && reading.contains(plan.pipeline()) && deployed != null) {
                    // stop first: the new versions' hand-over is where the next job resumes
                    configMaps.put(plan.pipeline(), PlanConfigMapRenderer.render(stream, deployed));
                    FlinkDeployment stopping = pipeline(stream, deployed, plan.pipeline().equals(lead));
                    stopping.getSpec().getJob().setState(JobState.SUSPENDED);
                    deployments.put(plan.pipeline(), stopping);
                } else {
                    configMaps.put(plan.pipeline(), PlanConfigMapRenderer.render(stream, plan));
                    deployments.put(plan.pipeline(), pipeline(stream, plan, plan.pipeline().equals(lead)));
                }
                for (AnalysisPlan analysis : plan.analyses()) {
                    ConfigMap dashboard = dashboards.render(stream, analysis);
                    dashboardMaps.putIfAbsent(dashboard.getMetadata().getName(), dashboard);
                }
            }
            var topic = Boolean.TRUE.equals(stream.getSpec().getKafka().getExternal()) ? null : topics.input(stream);
            return new StreamState(List.of(), null, plans, topic, topics.deadLetters(stream), configMaps, deployments, dashboardMaps);
        } catch (PipelineException e) {
            return StreamState.blocked(plans, e);
        }
    }

    /**
     * The FlinkDeployment of one of the stream's pipelines, rendered from the stream's template.
     *
     * @throws PipelineException when it cannot be rendered (no such template, not a FlinkDeployment)
     *     or must not run (a stateful pipeline whose state would not survive its pods: {@link StateDurability})
     * @param malformedDeadLetters whether it writes the stream's malformed records to the dead-letter topic
     *     ({@link PlanCompiler#leadPipeline})
     */
    public FlinkDeployment pipeline(EventStream stream, PipelinePlan plan, boolean malformedDeadLetters) {
        String template = templateOf(stream);
        FlinkDeployment fd = pipelines.render(stream, plan, templates.load(template), malformedDeadLetters);
        StateDurability.requireDurable(fd, plan, template);
        return fd;
    }

    /** Why the given pipeline of the stream cannot run, if it cannot: what an analysis in it reports. */
    public Optional<PipelineException> blocked(EventStream stream, PipelinePlan plan) {
        try {
            pipeline(stream, plan, true);
            return Optional.empty();
        } catch (PipelineException e) {
            return Optional.of(e);
        }
    }

    private static String templateOf(EventStream stream) {
        return stream.getSpec().getPipeline() == null || stream.getSpec().getPipeline().getTemplate() == null
                ? dev.pulse.api.compile.Defaults.TEMPLATE : stream.getSpec().getPipeline().getTemplate();
    }

    public RenderSettings settings() {
        return settings;
    }
}
