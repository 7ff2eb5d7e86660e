package dev.pulse.operator.analysis;

import dev.pulse.operator.health.StreamHealth;
import dev.pulse.operator.health.StreamProbes;
import dev.pulse.operator.metrics.PulseMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * After each probe round of a stream, reconciles the analyses of the kind that read it, so their
 * status follows lag and freshness (it is patched only when it changed); and drops the gauges of
 * analyses that are gone.
 */
final class HealthEventSource<A extends HasMetadata> extends AbstractEventSource<StreamHealth, A> {
    static final String NAME = "health";

    private final IndexerResourceCache<A> analyses;
    private final String kind;
    private final PulseMetrics metrics;

    HealthEventSource(StreamProbes probes, IndexerResourceCache<A> analyses, String kind, PulseMetrics metrics) {
        super(StreamHealth.class, NAME);
        this.analyses = analyses;
        this.kind = kind;
        this.metrics = metrics;
        probes.addListener(this::onRound);
    }

    private void onRound(StreamHealth health) {
        if (!isRunning()) {
            return;
        }
        metrics.retain(kind, analyses.list().map(a -> a.getMetadata().getNamespace() + "/" + a.getMetadata().getName()).collect(Collectors.toSet()));
        StreamReference.analysesOf(analyses, health.namespace(), health.stream()).forEach(id -> getEventHandler().handleEvent(new Event(id)));
    }

    @Override
    public Set<StreamHealth> getSecondaryResources(A primary) {
        return Set.of();
    }
}
