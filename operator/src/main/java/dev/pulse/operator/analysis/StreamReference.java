package dev.pulse.operator.analysis;

import dev.pulse.api.v1alpha1.common.AnalysisSpec;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** How analyses point at their stream ({@code spec.stream}), for mappers and indexes. */
public final class StreamReference {
    /** Name of the index of analyses by {@code <namespace>/<stream>}. */
    public static final String BY_STREAM = "byStream";

    private StreamReference() {
    }

    /** The stream an analysis reads, or null. */
    public static String streamOf(HasMetadata analysis) {
        if (analysis instanceof CustomResource<?, ?> cr && cr.getSpec() instanceof AnalysisSpec spec) {
            return spec.getStream();
        }
        return null;
    }

    /** The stream an analysis reads, as the ResourceID of an EventStream (empty when it names none). */
    public static Set<ResourceID> streamIdOf(HasMetadata analysis) {
        String stream = streamOf(analysis);
        return stream == null ? Set.of() : Set.of(new ResourceID(stream, analysis.getMetadata().getNamespace()));
    }

    public static String key(String namespace, String stream) {
        return namespace + "/" + stream;
    }

    public static <A extends HasMetadata> void index(IndexerResourceCache<A> analyses) {
        analyses.addIndexer(BY_STREAM, a -> {
            String stream = streamOf(a);
            return stream == null ? List.of() : List.of(key(a.getMetadata().getNamespace(), stream));
        });
    }

    /** The analyses in the cache that read the given stream. */
    public static <A extends HasMetadata> Set<ResourceID> analysesOf(IndexerResourceCache<A> analyses, String namespace, String stream) {
        if (stream == null) {
            return Set.of();
        }
        return analyses.byIndex(BY_STREAM, key(namespace, stream)).stream().map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    /** A stand-in for a stream that does not exist, enough to name its pipeline. */
    public static EventStream stub(String namespace, String name) {
        EventStream stub = new EventStream();
        stub.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(Objects.requireNonNullElse(name, "")).build());
        return stub;
    }
}
