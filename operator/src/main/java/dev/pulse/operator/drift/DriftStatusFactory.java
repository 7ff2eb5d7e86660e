package dev.pulse.operator.drift;

import dev.pulse.api.v1alpha1.common.AnalysisStatus;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.DriftStatus;
import dev.pulse.api.v1alpha1.common.Reasons;
import dev.pulse.operator.status.Conditions;
import java.time.LocalDate;
import java.util.List;

/**
 * From a day's comparison to {@code status.drift} and the conditions {@code DriftWithinTolerance}
 * and {@code Authoritative}; pure.
 *
 * <ul>
 * <li>A clean day extends the run of consecutive clean days when it follows the previous compared
 * day (a day whose batch row was missing neither extends nor breaks the run), else starts one.</li>
 * <li>A breach ends the run: 0 clean days, {@code DriftWithinTolerance=False DriftOutOfTolerance}
 * and {@code Authoritative=False DriftOutOfTolerance}.</li>
 * <li>{@code Authoritative=True Promoted} from {@code promoteAfterDays} consecutive clean days.</li>
 * <li>A failure (source not configured, query failed, not comparable) changes no figure; it is said in
 * {@code DriftWithinTolerance} and the day is tried again later.</li>
 * </ul>
 *
 * @param drift the drift status to write
 * @param withinTolerance the DriftWithinTolerance condition
 * @param authoritative the Authoritative condition
 */
public record DriftStatusFactory(DriftStatus drift, Condition withinTolerance, Condition authoritative) {
    public static final int DEFAULT_PROMOTE_AFTER_DAYS = 7;

    /** Conditions of a Metric with reconciliation that has not compared a day yet (or keeps the previous ones). */
    public static DriftStatusFactory unchanged(AnalysisStatus previous, int promoteAfterDays) {
        DriftStatus drift = previous == null ? null : previous.getDrift();
        Condition within = previous == null ? null : previous.condition(Condition.DRIFT_WITHIN_TOLERANCE).map(DriftStatusFactory::copy).orElse(null);
        Condition auth = previous == null ? null : previous.condition(Condition.AUTHORITATIVE).map(DriftStatusFactory::copy).orElse(null);
        if (within == null) {
            within = Conditions.of(Condition.DRIFT_WITHIN_TOLERANCE, Conditions.UNKNOWN, Reasons.AWAITING_FIRST_DAY,
                    "no day has been compared with the batch source yet");
        }
        if (auth == null) {
            auth = probation(drift == null || drift.getConsecutiveCleanDays() == null ? 0 : drift.getConsecutiveCleanDays(), promoteAfterDays);
        }
        return new DriftStatusFactory(drift, within, auth);
    }

    public static DriftStatusFactory of(AnalysisStatus previous, DriftOutcome outcome, int promoteAfterDays) {
        DriftStatusFactory before = unchanged(previous, promoteAfterDays);
        DriftStatus prev = before.drift();
        int prevRun = prev == null || prev.getConsecutiveCleanDays() == null ? 0 : prev.getConsecutiveCleanDays();
        String t = Condition.DRIFT_WITHIN_TOLERANCE;
        switch (outcome.kind()) {
            case COMPARED -> {
                DriftComparison c = outcome.comparison();
                DriftStatus next = new DriftStatus();
                next.setDay(outcome.day().toString());
                next.setStreaming(c.streaming());
                next.setBatch(c.batch());
                next.setRelativeError(c.relativeError());
                next.setWorstDimensions(c.worst().isEmpty() ? null : c.worst());
                if (!c.clean()) {
                    next.setConsecutiveCleanDays(0);
                    String worst = c.worst().isEmpty() ? "" : "; worst: " + c.worst().get(0);
                    String msg = "day " + outcome.day() + ": streaming " + figure(c.streaming()) + ", batch " + figure(c.batch())
                            + ", relative error " + percent(c.relativeError()) + " is out of tolerance" + worst;
                    return new DriftStatusFactory(next, Conditions.of(t, Conditions.FALSE, Reasons.DRIFT_OUT_OF_TOLERANCE, msg),
                            Conditions.of(Condition.AUTHORITATIVE, Conditions.FALSE, Reasons.DRIFT_OUT_OF_TOLERANCE, msg));
                }
                int run = run(prev, prevRun, outcome.day());
                next.setConsecutiveCleanDays(run);
                Condition within = Conditions.of(t, Conditions.TRUE, Reasons.WITHIN_TOLERANCE,
                        "the latest compared day is within tolerance overall and for every dimension value");
                Condition auth = run >= promoteAfterDays
                        ? Conditions.of(Condition.AUTHORITATIVE, Conditions.TRUE, Reasons.PROMOTED,
                                "at least " + promoteAfterDays + " consecutive days matched the batch source")
                        : probation(run, promoteAfterDays);
                return new DriftStatusFactory(next, within, auth);
            }
            case BATCH_ROW_MISSING -> {
                DriftStatus next = new DriftStatus();
                next.setDay(outcome.day().toString());
                next.setStreaming(outcome.streaming());
                next.setConsecutiveCleanDays(prevRun);
                return new DriftStatusFactory(next, Conditions.of(t, Conditions.UNKNOWN, Reasons.BATCH_ROW_MISSING,
                        "the batch source has no row for day " + outcome.day() + ": not compared (the day neither counts as clean nor as drift)"),
                        before.authoritative());
            }
            case NOT_COMPARABLE -> {
                return new DriftStatusFactory(prev, Conditions.of(t, Conditions.FALSE, Reasons.NOT_COMPARABLE, outcome.message()), before.authoritative());
            }
            case SOURCE_NOT_CONFIGURED -> {
                return new DriftStatusFactory(prev, Conditions.of(t, Conditions.FALSE, Reasons.BATCH_SOURCE_NOT_CONFIGURED, outcome.message()),
                        before.authoritative());
            }
            case SERVING_NOT_CONFIGURED -> {
                return new DriftStatusFactory(prev, Conditions.of(t, Conditions.UNKNOWN, Reasons.SERVING_NOT_CONFIGURED, outcome.message()),
                        before.authoritative());
            }
            default -> {
                return new DriftStatusFactory(prev, Conditions.of(t, Conditions.UNKNOWN, Reasons.BATCH_QUERY_FAILED, outcome.message()),
                        before.authoritative());
            }
        }
    }

    /**
     * The run a clean day makes, from status.drift alone (conditions may since say a later failure):
     * the day after the previous compared day adds one to its run (0 after a breach); the same day
     * again keeps the run, or adds itself when its batch row was missing before; any other day starts anew.
     */
    private static int run(DriftStatus prev, int prevRun, LocalDate day) {
        if (prev == null || prev.getDay() == null) {
            return 1;
        }
        if (day.minusDays(1).toString().equals(prev.getDay())) {
            return prevRun + 1;
        }
        if (day.toString().equals(prev.getDay())) {
            return prev.getBatch() == null ? prevRun + 1 : Math.max(prevRun, 1);
        }
        return 1;
    }

    private static Condition probation(int run, int promoteAfterDays) {
        return Conditions.of(Condition.AUTHORITATIVE, Conditions.FALSE, Reasons.ON_PROBATION,
                run + " of " + promoteAfterDays + " consecutive clean days needed before the streaming results are authoritative");
    }

    private static Condition copy(Condition c) {
        return Conditions.of(c.getType(), c.getStatus(), c.getReason(), c.getMessage());
    }

    private static String figure(Double v) {
        return v == null ? "n/a" : DriftComparison.number(v);
    }

    private static String percent(Double v) {
        return v == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f%%", 100 * v);
    }

    /** The conditions in the order they are listed. */
    public List<Condition> conditions() {
        return List.of(withinTolerance, authoritative);
    }
}
