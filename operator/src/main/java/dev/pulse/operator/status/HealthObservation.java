package dev.pulse.operator.status;

import dev.pulse.operator.health.FreshnessReading;
import dev.pulse.operator.health.LagReading;
import java.time.Duration;
import java.time.Instant;

/**
 * What the latest probe round saw of one analysis.
 *
 * @param asOf when the round ran; null when its stream has not been probed yet
 * @param lag its pipeline's consumer lag, or null when not measured
 * @param freshness its progress in the serving catalog, or null when it has no active catalog row
 * @param freshnessError why the catalog could not be read, or null
 * @param objective {@code spec.freshnessObjective} (default 60 s)
 * @param expectedDelay how long after a window ends it can become final at best: allowed lateness
 *     plus the stream's maximum out-of-orderness; the objective counts from there
 * @param windowMs the analysis's window size: the natural step of its freshness, used as deadband
 */
public record HealthObservation(Instant asOf, LagReading lag, FreshnessReading freshness, String freshnessError, Duration objective,
        Duration expectedDelay, long windowMs) {
    public static final Duration DEFAULT_OBJECTIVE = Duration.ofSeconds(60);

    /**
     * How long after its window ends a result can be final at best: allowed lateness and the
     * stream's out-of-orderness for every kind; plus the conversion window for a Funnel (an attempt
     * opened at the end of a window stays open that long); plus {@code periods + 1} periods for a
     * Retention (a cohort is final once the last period of its latest member has elapsed).
     */
    public static Duration expectedDelay(dev.pulse.api.plan.AnalysisPlan plan, long maxOutOfOrdernessMs) {
        if (plan == null) {
            return Duration.ofMillis(maxOutOfOrdernessMs);
        }
        long ms = plan.allowedLatenessMs() + maxOutOfOrdernessMs;
        if (plan.funnel() != null) {
            ms += plan.funnel().conversionWindowMs();
        }
        if (plan.retention() != null) {
            ms += (plan.retention().periods() + 1L) * plan.retention().periodMs();
        }
        return Duration.ofMillis(ms);
    }

    /** The freshness a final window may have and still be Fresh, in seconds. */
    public long allowedSeconds() {
        return objective.toSeconds() + expectedDelay.toSeconds();
    }
}
