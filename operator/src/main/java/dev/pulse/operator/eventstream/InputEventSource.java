package dev.pulse.operator.eventstream;

import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.operator.health.InputReading;
import dev.pulse.operator.health.StreamProbes;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/**
 * Reconciles an EventStream after each probe round of it, so its {@code status.lag} and
 * {@code Probing} follow the rounds, and after a round in which the count of its dead-letter
 * records changed, so {@code status.input} follows them.
 */
final class InputEventSource extends AbstractEventSource<InputReading, EventStream> {
    static final String NAME = "input";

    InputEventSource(StreamProbes probes) {
        super(InputReading.class, NAME);
        probes.addInputListener(this::onChange);
        probes.addListener(round -> onChange(round.namespace() + "/" + round.stream(), null));
    }

    private void onChange(String key, InputReading reading) {
        if (!isRunning()) {
            return;
        }
        int slash = key.indexOf('/');
        getEventHandler().handleEvent(new Event(new ResourceID(key.substring(slash + 1), key.substring(0, slash))));
    }

    @Override
    public Set<InputReading> getSecondaryResources(EventStream primary) {
        return Set.of();
    }
}
