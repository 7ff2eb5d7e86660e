package dev.pulse.operator.analysis;

import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.render.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * The informers an analysis reconciler watches: its stream, the plan ConfigMaps and the
 * FlinkDeployments the stream reconciler made. Each maps an event to the analyses reading that
 * stream through an index on {@code spec.stream}; each is read by name.
 */
final class AnalysisSources {
    static final String STREAMS = "streams";
    static final String PLANS = "plans";
    static final String PIPELINES = "pipelines";

    private AnalysisSources() {
    }

    static <A extends HasMetadata> InformerEventSource<EventStream, A> streams(EventSourceContext<A> context) {
        var analyses = context.getPrimaryCache();
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(EventStream.class, context.getPrimaryResourceClass())
                .withName(STREAMS)
                .withSecondaryToPrimaryMapper(s -> StreamReference.analysesOf(analyses, s.getMetadata().getNamespace(), s.getMetadata().getName()))
                .withOnUpdateFilter((next, old) -> !Objects.equals(next.getMetadata().getGeneration(), old.getMetadata().getGeneration()))
                .build(), context);
    }

    static <A extends HasMetadata> InformerEventSource<ConfigMap, A> plans(EventSourceContext<A> context) {
        return ownedByStreams(ConfigMap.class, PLANS, Labels.PLAN_SELECTOR, context);
    }

    static <A extends HasMetadata> InformerEventSource<FlinkDeployment, A> pipelines(EventSourceContext<A> context) {
        return ownedByStreams(FlinkDeployment.class, PIPELINES, Labels.PIPELINE_SELECTOR, context);
    }

    private static <R extends HasMetadata, A extends HasMetadata> InformerEventSource<R, A> ownedByStreams(Class<R> type, String name,
            String selector, EventSourceContext<A> context) {
        var analyses = context.getPrimaryCache();
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
                .withName(name)
                .withLabelSelector(selector)
                .withSecondaryToPrimaryMapper(r -> StreamReference.analysesOf(analyses, r.getMetadata().getNamespace(),
                        r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(Labels.STREAM)))
                .build(), context);
    }

    @SuppressWarnings("unchecked")
    static <R extends HasMetadata, A extends HasMetadata> Optional<R> get(Context<A> context, Class<R> type, String source, String name,
            String namespace) {
        var sources = context.eventSourceRetriever().getEventSourcesFor(type);
        return sources.stream().filter(s -> source.equals(s.name())).findFirst()
                .flatMap(s -> ((InformerEventSource<R, A>) s).get(new ResourceID(name, namespace)));
    }

    static <A extends HasMetadata> boolean watchingPipelines(Context<A> context) {
        return context.eventSourceRetriever().getEventSourcesFor(FlinkDeployment.class).stream().anyMatch(s -> PIPELINES.equals(s.name()));
    }
}
