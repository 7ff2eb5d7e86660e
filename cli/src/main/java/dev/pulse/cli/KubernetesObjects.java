package dev.pulse.cli;

import dev.pulse.api.compile.Compilation;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.render.FlinkDeploymentRenderer;
import dev.pulse.render.PipelineTemplates;
import dev.pulse.render.PlanConfigMapRenderer;
import dev.pulse.render.RenderSettings;
import dev.pulse.render.TopicRenderer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The objects the operator would create for compiled definitions, rendered by the operator's own renderers. */
final class KubernetesObjects {
    private final RenderSettings settings;
    private final PipelineTemplates templates;

    KubernetesObjects(RenderSettings settings, Optional<Path> templateDirectory) {
        this.settings = settings;
        this.templates = new PipelineTemplates(templateDirectory);
    }

    List<HasMetadata> render(List<HasMetadata> resources, Compilation compilation) {
        List<HasMetadata> out = new ArrayList<>();
        TopicRenderer topics = new TopicRenderer(settings);
        FlinkDeploymentRenderer deployments = new FlinkDeploymentRenderer(settings);
        for (PipelinePlan plan : compilation.plans()) {
            EventStream stream = stream(resources, plan);
            String lead = PlanCompiler.leadPipeline(stream, compilation.plans().stream()
                    .filter(p -> p.stream().namespace().equals(plan.stream().namespace()) && p.stream().name().equals(plan.stream().name()))
                    .map(PipelinePlan::pipeline).toList());
            if (plan.pipeline().equals(lead)) {
                if (!Boolean.TRUE.equals(stream.getSpec().getKafka().getExternal())) {
                    out.add(topics.input(stream));
                }
                // the pipeline writes it whether or not the input topic is external
                out.add(topics.deadLetters(stream));
            }
            out.add(PlanConfigMapRenderer.render(stream, plan));
            String template = stream.getSpec().getPipeline() == null || stream.getSpec().getPipeline().getTemplate() == null
                    ? "default" : stream.getSpec().getPipeline().getTemplate();
            out.add(deployments.render(stream, plan, templates.load(template), plan.pipeline().equals(lead)));
            for (AnalysisPlan a : plan.analyses()) {
                if (a.outputTopic() != null) {
                    Metric metric = (Metric) resources.stream()
                            .filter(r -> r instanceof Metric && r.getMetadata().getName().equals(a.name())
                                    && r.getMetadata().getNamespace().equals(a.namespace()))
                            .findFirst().orElseThrow();
                    out.add(topics.results(metric, a, stream));
                }
            }
        }
        return out;
    }

    private static EventStream stream(List<HasMetadata> resources, PipelinePlan plan) {
        return resources.stream().filter(r -> r instanceof EventStream
                        && r.getMetadata().getName().equals(plan.stream().name())
                        && r.getMetadata().getNamespace().equals(plan.stream().namespace()))
                .map(EventStream.class::cast).findFirst().orElseThrow();
    }
}
