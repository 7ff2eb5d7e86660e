package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.common.AnalysisLimits;
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
 * @param expectedDelay how far behind a healthy pipeline's latest final window can be: one window step,
 *     allowed lateness and the stream's maximum out-of-orderness (see {@link #expectedDelay}); the objective counts from there
 * @param windowMs the analysis's window size: the natural step of its freshness, used as deadband
 * @param maxGroups the analysis's {@code spec.limits.maxGroups}, named when its windows hit it
 * @param now when the status is computed (the probes' clock), or null to skip the stall check
 * @param stalledAfter how old the round may be before its figures are stale ({@code ProbeStalled}), or null for no limit
 */
public record HealthObservation(Instant asOf, LagReading lag, FreshnessReading freshness, String freshnessError, Duration objective,
        Duration expectedDelay, long windowMs, int maxGroups, Instant now, Duration stalledAfter) {
    public static final Duration DEFAULT_OBJECTIVE = Duration.ofSeconds(60);

    /** An observation of an analysis with the default {@code maxGroups}, read right when its round ran: never stalled. */
    public HealthObservation(Instant asOf, LagReading lag, FreshnessReading freshness, String freshnessError, Duration objective,
            Duration expectedDelay, long windowMs) {
        this(asOf, lag, freshness, freshnessError, objective, expectedDelay, windowMs, AnalysisLimits.DEFAULT_MAX_GROUPS, null, null);
    }

    /** An observation of an analysis read right when its round ran: never stalled. */
    public HealthObservation(Instant asOf, LagReading lag, FreshnessReading freshness, String freshnessError, Duration objective,
            Duration expectedDelay, long windowMs, int maxGroups) {
        this(asOf, lag, freshness, freshnessError, objective, expectedDelay, windowMs, maxGroups, null, null);
    }

    /** Whether the round is older than {@link #stalledAfter}: the probes have stopped producing readings. */
    public boolean stalled() {
        return asOf != null && now != null && stalledAfter != null && asOf.plus(stalledAfter).isBefore(now);
    }

    /**
     * How far behind the wall clock the latest final window of a healthy pipeline can be: one
     * window step (the time between two window ends: the size of a tumbling window, the slide of a
     * hopping one, the step of a cumulative one, the period of a Retention: just before the next
     * window turns final, the latest final one is that old), plus allowed lateness and the
     * stream's out-of-orderness for every kind; plus the conversion window for a Funnel (an attempt
     * opened at the end of a window stays open that long); plus {@code periods + 1} periods for a
     * Retention (a cohort is final once the last period of its latest member has elapsed).
     */
    public static Duration expectedDelay(dev.pulse.api.plan.AnalysisPlan plan, long maxOutOfOrdernessMs) {
        if (plan == null) {
            return Duration.ofMillis(maxOutOfOrdernessMs);
        }
        long ms = plan.allowedLatenessMs() + maxOutOfOrdernessMs + windowStep(plan);
        if (plan.funnel() != null) {
            ms += plan.funnel().conversionWindowMs();
        }
        if (plan.retention() != null) {
            ms += (plan.retention().periods() + 1L) * plan.retention().periodMs();
        }
        return Duration.ofMillis(ms);
    }

    private static long windowStep(dev.pulse.api.plan.AnalysisPlan plan) {
        if (plan.window() == null) {
            return 0;
        }
        if (plan.window().slideMs() > 0) {
            return plan.window().slideMs();
        }
        return plan.window().stepMs() > 0 ? plan.window().stepMs() : plan.window().sizeMs();
    }

    /** The freshness a final window may have and still be Fresh, in seconds. */
    public long allowedSeconds() {
        return objective.toSeconds() + expectedDelay.toSeconds();
    }
}
