package dev.pulse.operator.eventstream;

import dev.pulse.api.v1alpha1.eventstream.InputStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * When a stream's Warning Event {@code MalformedRecords} is due: when malformed records start
 * arriving (none before since the pipeline started, some now), and while more keep arriving at
 * most once per {@link #EVERY} per stream, so a flood of bad records is one Event an hour, not one
 * per probe round.
 */
final class MalformedRecordsNotice {
    static final String REASON = "MalformedRecords";
    static final Duration EVERY = Duration.ofHours(1);

    private final Clock clock;
    private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();

    MalformedRecordsNotice(Clock clock) {
        this.clock = clock;
    }

    /** The Event's message, or null when none is due. */
    String due(String stream, InputStatus before, InputStatus now) {
        if (now == null || now.getMalformedTotal() == null || now.getMalformedTotal() == 0) {
            return null;
        }
        boolean sameRun = before != null && Objects.equals(before.getSince(), now.getSince());
        long previously = sameRun && before.getMalformedTotal() != null ? before.getMalformedTotal() : 0;
        if (now.getMalformedTotal() <= previously) {
            return null;
        }
        Instant at = clock.instant();
        Instant sent = lastSent.get(stream);
        if (previously > 0 && sent != null && sent.plus(EVERY).isAfter(at)) {
            return null;
        }
        lastSent.put(stream, at);
        String reasons = now.getMalformed().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
        String last = now.getLast() == null ? "" : "; latest: " + now.getLast().getReason() + " at partition "
                + now.getLast().getPartition() + " offset " + now.getLast().getOffset();
        return now.getMalformedTotal() + " malformed records since the pipeline started at " + now.getSince() + " (" + reasons + ")"
                + last + "; they count in no analysis and are in topic " + now.getDeadLetterTopic();
    }
}
