package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.common.LagStatus;
import dev.pulse.api.v1alpha1.eventstream.PipelineLag;
import dev.pulse.operator.health.LagReading;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An EventStream's {@code status.pipelineLags}: the lag of each pipeline reading the stream, from one
 * probe round; pure. Each entry follows the rule of {@code status.lag}
 * ({@link HealthAssessment#lagFigures}): a pipeline whose lag the round could not measure (or a
 * round that stalled) keeps its last good figures, marked stale; a pipeline no longer in the plans
 * is dropped.
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
            LagStatus figures = HealthAssessment.lagFigures(before, r.lag(), stalled);
            if (figures != null) {
                out.add(entry(r, figures));
            }
        }
        out.sort(Comparator.comparing(PipelineLag::getPipeline));
        return out.isEmpty() ? null : out;
    }

    private static PipelineLag entry(Reading r, LagStatus figures) {
        PipelineLag e = new PipelineLag();
        e.setPipeline(r.pipeline());
        e.setConsumerGroup(r.consumerGroup());
        e.setRecords(figures.getRecords());
        e.setSeconds(figures.getSeconds());
        e.setAsOf(figures.getAsOf());
        e.setStale(figures.getStale());
        return e;
    }
}
