package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.eventstream.PipelineLag;
import dev.pulse.operator.health.LagReading;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An EventStream's {@code status.pipelineLags}: the lag of each pipeline reading the stream, from one
 * probe round; pure. A pipeline whose lag the round could not measure (or a round that stalled)
 * keeps its last good figures, marked stale, as {@code status.lag} does; a pipeline no longer in
 * the plans is dropped.
 */
public final class PipelineLags {
    private PipelineLags() {
    }

    /**
     * What one probe round saw of one pipeline of the stream.
     *
     * @param pipeline its FlinkDeployment's name
     * @param consumerGroup the consumer group it commits to
     * @param lag the round's reading of that group, or null when the round did not read it
     */
    public record Reading(String pipeline, String consumerGroup, LagReading lag) {
    }

    /**
     * @param previous {@code status.pipelineLags} now (may be null)
     * @param readings one per pipeline of the stream's current plans
     * @param stalled whether the round is too old to trust ({@link HealthObservation#stalled()})
     * @return the entries sorted by pipeline name, or null when there is none
     */
    public static List<PipelineLag> of(List<PipelineLag> previous, List<Reading> readings, boolean stalled) {
        List<PipelineLag> out = new ArrayList<>();
        for (Reading r : readings) {
            PipelineLag before = previous == null ? null : previous.stream()
                    .filter(p -> r.pipeline().equals(p.getPipeline()) && Objects.equals(r.consumerGroup(), p.getConsumerGroup()))
                    .findFirst().orElse(null);
            PipelineLag next;
            if (!stalled && r.lag() != null && r.lag().known()) {
                next = entry(r);
                next.setRecords(r.lag().records());
                next.setSeconds(r.lag().seconds());
                next.setAsOf(r.lag().asOf() == null ? null : r.lag().asOf().truncatedTo(ChronoUnit.SECONDS).toString());
            } else if (before != null && (stalled || r.lag() != null && r.lag().error() != null)) {
                next = entry(r);
                next.setRecords(before.getRecords());
                next.setSeconds(before.getSeconds());
                next.setAsOf(before.getAsOf());
                next.setStale(true);
            } else if (before != null) {
                next = before;
            } else {
                continue;
            }
            out.add(next);
        }
        out.sort(Comparator.comparing(PipelineLag::getPipeline));
        return out.isEmpty() ? null : out;
    }

    private static PipelineLag entry(Reading r) {
        PipelineLag e = new PipelineLag();
        e.setPipeline(r.pipeline());
        e.setConsumerGroup(r.consumerGroup());
        return e;
    }
}
