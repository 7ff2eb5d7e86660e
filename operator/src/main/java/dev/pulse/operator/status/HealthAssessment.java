package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.FreshnessStatus;
import dev.pulse.api.v1alpha1.common.LagStatus;
import dev.pulse.api.v1alpha1.common.PulseStatus;
import dev.pulse.api.v1alpha1.common.Reasons;
import dev.pulse.operator.health.LagReading;
import dev.pulse.operator.health.StreamHealth;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * From one probe round to an analysis's {@code lag}, {@code freshness} and {@code Fresh}
 * condition; pure. Figures are rewritten only when they moved past a deadband (lag: 100 records or
 * 10%, 5 s or 10%; freshness: one window, 5 s or 10%), or when {@code Fresh} changes; {@code Fresh}
 * turns False above the allowed freshness and, once False, True again only below it minus a margin
 * (max(5 s, 10%)), so a value hovering at the limit does not flap.
 *
 * @param lag the lag to write (the previous one when it did not move)
 * @param freshness the freshness to write (the previous one when it did not move)
 * @param fresh the {@code Fresh} condition
 * @param probing the {@code Probing} condition: False when the lag or the catalog could not be read in
 *     the latest round, or when that round is older than {@link HealthObservation#stalledAfter}; the
 *     figures kept from an earlier round are then marked {@code stale}. It never changes Ready.
 *     Null when the stream has not been probed yet and no earlier Probing exists.
 */
public record HealthAssessment(LagStatus lag, FreshnessStatus freshness, Condition fresh, Condition probing) {
    static final long LAG_RECORDS_STEP = 100;
    static final long SECONDS_STEP = 5;
    static final double RELATIVE_STEP = 0.10;

    /**
     * @param previous the resource's status now (may be null)
     * @param running the PipelineRunning condition just computed
     */
    public static HealthAssessment of(PulseStatus previous, Condition running, HealthObservation h) {
        LagStatus prevLag = previous == null ? null : previous.getLag();
        FreshnessStatus prevFreshness = previous == null ? null : previous.getFreshness();
        Condition prevFresh = previous == null ? null : previous.condition(Condition.FRESH).orElse(null);
        Condition prevProbing = previous == null ? null : previous.condition(Condition.PROBING).orElse(null);
        if (h.asOf() == null) {
            Condition fresh = prevFresh != null ? copyOf(prevFresh)
                    : Conditions.of(Condition.FRESH, Conditions.UNKNOWN, Reasons.PROBE_PENDING, "the stream has not been probed yet");
            return new HealthAssessment(prevLag, prevFreshness, fresh, prevProbing == null ? null : copyOf(prevProbing));
        }

        boolean stalled = h.stalled();
        String lagError = stalled || h.lag() == null ? null : h.lag().error();
        String freshnessError = stalled || StreamHealth.SERVING_NOT_CONFIGURED.equals(h.freshnessError()) ? null : h.freshnessError();
        Condition probing = probing(h, stalled, lagError, freshnessError, prevLag, prevFreshness);
        if (stalled || lagError != null || freshnessError != null) {
            // the figures stay the last good ones, marked stale; Fresh stays what the last good round said
            LagStatus lag = lagFigures(prevLag, h.lag(), stalled);
            FreshnessStatus freshness = stalled || freshnessError != null ? stale(prevFreshness) : prevFreshness;
            Condition fresh = stalled && prevFresh != null ? copyOf(prevFresh) : fresh(prevFresh, prevLag, running, h, behind(h));
            if (!stalled && freshnessError == null) {
                return new HealthAssessment(lag, freshness(prevFreshness, prevFresh, fresh, h), fresh, probing);
            }
            return new HealthAssessment(lag, freshness, fresh, probing);
        }

        LagStatus lag = lag(prevLag, h.lag());
        Condition fresh = fresh(prevFresh, prevLag, running, h, behind(h));
        return new HealthAssessment(lag, freshness(prevFreshness, prevFresh, fresh, h), fresh, probing);
    }

    private static Long behind(HealthObservation h) {
        return h.freshness() == null || h.freshness().latestFinalWindowEnd() == null ? null
                : Math.max(0, ChronoUnit.SECONDS.between(h.freshness().latestFinalWindowEnd(), h.asOf()));
    }

    private static FreshnessStatus freshness(FreshnessStatus prevFreshness, Condition prevFresh, Condition fresh, HealthObservation h) {
        if (h.freshness() == null) {
            return prevFreshness == null || !Boolean.TRUE.equals(prevFreshness.getStale()) ? prevFreshness : fresh(prevFreshness, h);
        }
        Long behind = behind(h);
        FreshnessStatus next = new FreshnessStatus();
        next.setLatestFinalWindowEnd(text(h.freshness().latestFinalWindowEnd()));
        next.setSecondsBehind(behind);
        next.setLatestProvisionalUpdate(text(h.freshness().latestUpdate()));
        // every round's figures with their time: asOf advances every probe interval, so a frozen
        // figure is visible as an old asOf (and a failed round as stale)
        next.setAsOf(text(h.asOf()));
        return next;
    }

    /** The previous freshness figures, read again now: no longer stale. */
    private static FreshnessStatus fresh(FreshnessStatus previous, HealthObservation h) {
        FreshnessStatus next = copy(previous);
        next.setStale(null);
        next.setAsOf(text(h.asOf()));
        return next;
    }

    private static FreshnessStatus copy(FreshnessStatus f) {
        FreshnessStatus next = new FreshnessStatus();
        next.setLatestFinalWindowEnd(f.getLatestFinalWindowEnd());
        next.setSecondsBehind(f.getSecondsBehind());
        next.setLatestProvisionalUpdate(f.getLatestProvisionalUpdate());
        next.setAsOf(f.getAsOf());
        next.setStale(f.getStale());
        return next;
    }

    private static FreshnessStatus stale(FreshnessStatus previous) {
        if (previous == null || Boolean.TRUE.equals(previous.getStale())) {
            return previous;
        }
        FreshnessStatus next = copy(previous);
        next.setStale(true);
        return next;
    }

    /**
     * The lag figures after a round: the round's reading when it has one; the last good ones,
     * marked stale, when the round stalled or could not read the lag; else the last ones as they
     * are. The rule of {@code status.lag} and of each of {@code status.pipelineLags}.
     */
    static LagStatus lagFigures(LagStatus previous, LagReading reading, boolean stalled) {
        return stalled || reading != null && reading.error() != null ? stale(previous) : lag(previous, reading);
    }

    private static LagStatus stale(LagStatus previous) {
        if (previous == null || Boolean.TRUE.equals(previous.getStale())) {
            return previous;
        }
        LagStatus next = new LagStatus();
        next.setRecords(previous.getRecords());
        next.setSeconds(previous.getSeconds());
        next.setAsOf(previous.getAsOf());
        next.setStale(true);
        return next;
    }

    /**
     * Probing. Its message names the failure and when the figures kept were last read (an instant,
     * not an age: a condition is rewritten only when it changes, not every round).
     */
    private static Condition probing(HealthObservation h, boolean stalled, String lagError, String freshnessError, LagStatus prevLag,
            FreshnessStatus prevFreshness) {
        String type = Condition.PROBING;
        String lastLag = "; last good lag " + (prevLag == null || prevLag.getAsOf() == null ? "none" : "as of " + prevLag.getAsOf());
        String lastFreshness = "; last good freshness " + (prevFreshness == null || prevFreshness.getAsOf() == null ? "none"
                : "as of " + prevFreshness.getAsOf());
        if (stalled) {
            return Conditions.of(type, Conditions.FALSE, Reasons.PROBE_STALLED, "no probe round since " + text(h.asOf()) + " (longer than "
                    + h.stalledAfter().toSeconds() + "s, two probe intervals and a timeout): status.lag and status.freshness are stale");
        }
        if (lagError != null) {
            return Conditions.of(type, Conditions.FALSE, Reasons.LAG_PROBE_FAILED, "Kafka lag probe: " + lagError + lastLag
                    + (freshnessError == null ? "" : "; serving catalog probe: " + freshnessError + lastFreshness));
        }
        if (freshnessError != null) {
            return Conditions.of(type, Conditions.FALSE, Reasons.FRESHNESS_PROBE_FAILED, freshnessError + lastFreshness);
        }
        return Conditions.of(type, Conditions.TRUE, Reasons.PROBED, "the latest probe round read the lag and the serving catalog");
    }

    private static LagStatus lag(LagStatus previous, LagReading reading) {
        if (reading == null || !reading.known()) {
            return previous;
        }
        LagStatus next = new LagStatus();
        next.setRecords(reading.records());
        next.setSeconds(reading.seconds());
        next.setAsOf(text(reading.asOf()));
        return next;
    }

    private static Condition fresh(Condition previous, LagStatus prevLag, Condition running, HealthObservation h, Long behind) {
        String type = Condition.FRESH;
        if (StreamHealth.SERVING_NOT_CONFIGURED.equals(h.freshnessError())) {
            return Conditions.of(type, Conditions.UNKNOWN, Reasons.SERVING_NOT_CONFIGURED,
                    "the operator has no serving database to read freshness from: set pulse.jdbc.url");
        }
        if (h.freshnessError() != null) {
            return Conditions.of(type, Conditions.UNKNOWN, Reasons.PROBE_FAILED, h.freshnessError());
        }
        long allowed = h.allowedSeconds();
        boolean wasStale = previous != null && Conditions.FALSE.equals(previous.getStatus());
        long margin = Math.max(SECONDS_STEP, Math.round(allowed * RELATIVE_STEP));
        // messages carry no moving figures (those are in status.lag and status.freshness): a condition is rewritten only when it changes
        String limit = "the allowed " + allowed + "s (spec.freshnessObjective " + h.objective().toSeconds()
                + "s after allowedLateness and the stream's maxOutOfOrderness)";
        if (behind != null && behind <= (wasStale ? allowed - margin : allowed)) {
            return Conditions.of(type, Conditions.TRUE, Reasons.FRESH, "the latest final window ended within " + limit);
        }
        String late = behind == null ? "no window is final yet" : "the latest final window ended longer ago than " + limit;
        String runningReason = running == null ? null : running.getReason();
        if (Reasons.SUSPENDED.equals(runningReason)) {
            return Conditions.of(type, Conditions.FALSE, Reasons.SUSPENDED, late + ": the pipeline is suspended");
        }
        if (Reasons.JOB_FAILED.equals(runningReason) || Reasons.ROLLED_BACK.equals(runningReason)) {
            return Conditions.of(type, Conditions.FALSE, Reasons.JOB_FAILED, late + ": the pipeline is not running (" + runningReason
                    + ", see PipelineRunning)");
        }
        if (!Conditions.isTrue(running)) {
            return Conditions.of(type, behind == null ? Conditions.UNKNOWN : Conditions.FALSE,
                    runningReason == null ? Reasons.PIPELINE_PENDING : runningReason, late + ": the pipeline is not running yet (see PipelineRunning)");
        }
        if (behind == null) {
            return Conditions.of(type, Conditions.UNKNOWN, Reasons.AWAITING_FIRST_WINDOW,
                    "no window is final yet (a window is final once the watermark passes its end plus allowedLateness)");
        }
        LagReading lag = h.lag();
        if (lag != null && lag.known() && lag.seconds() != null && lag.seconds() * 2 > h.objective().toSeconds()) {
            boolean wasCatchingUp = previous != null && Reasons.CATCHING_UP.equals(previous.getReason());
            boolean falling = prevLag != null && prevLag.getRecords() != null && lag.records() < prevLag.getRecords()
                    && Deadband.moved(prevLag.getRecords(), lag.records(), LAG_RECORDS_STEP, RELATIVE_STEP);
            boolean rising = prevLag != null && prevLag.getRecords() != null && lag.records() > prevLag.getRecords()
                    && Deadband.moved(prevLag.getRecords(), lag.records(), LAG_RECORDS_STEP, RELATIVE_STEP);
            if (falling || (wasCatchingUp && !rising)) {
                return Conditions.of(type, Conditions.FALSE, Reasons.CATCHING_UP, late + ": the pipeline is behind its topic (status.lag) and catching up");
            }
            return Conditions.of(type, Conditions.FALSE, Reasons.LAGGING, late + ": the pipeline is behind its topic (status.lag) and not catching up");
        }
        return Conditions.of(type, Conditions.FALSE, Reasons.STALLED, late + " although the pipeline runs and keeps up with its topic: "
                + "the watermark does not advance (no new events, idle partitions) or results are not written");
    }

    private static Condition copyOf(Condition c) {
        return Conditions.of(c.getType(), c.getStatus(), c.getReason(), c.getMessage());
    }

    private static String text(Instant i) {
        return i == null ? null : i.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
