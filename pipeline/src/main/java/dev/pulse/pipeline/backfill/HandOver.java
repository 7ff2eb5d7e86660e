package dev.pulse.pipeline.backfill;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.BackfillPlan;

/**
 * The rules of a version's hand-over that its operators apply (docs/changes.md, "How a new version
 * is computed"). A version the operator pinned counts the records before its hand-over offsets in
 * one bounded history read and the records from them on live:
 * <ul>
 * <li>history records are never late (lateness does not apply to history read in one pass);</li>
 * <li>a live record is late against the larger of the operator's watermark and the watermark its
 * own source had when it passed ({@code sourceWatermark}): while the history read holds the
 * operator's watermark at its minimum, live records still follow the live rule;</li>
 * <li>a window (a funnel's reporting window, a retention cohort) that starts before
 * {@link BackfillPlan#finalFromMs()} is never final in the version.</li>
 * </ul>
 * An analysis without pins (offline and test plans, and every plan in {@code pulse replay}, which
 * ignores pins) keeps the rules of an unpinned job: the operator's watermark, every window final.
 */
public final class HandOver {
    private HandOver() {
    }

    /** Whether the analysis's version was pinned by the operator. */
    public static boolean pinned(AnalysisPlan plan) {
        return plan.backfill() != null && plan.backfill().pinned();
    }

    /** Windows starting before this are never final in the version (Long.MIN_VALUE: all may be). */
    public static long finalFromMs(AnalysisPlan plan) {
        return pinned(plan) ? plan.backfill().finalFromMs() : Long.MIN_VALUE;
    }

    /**
     * The watermark a record's lateness is judged against: Long.MIN_VALUE for history (never
     * late), the larger of the operator's and the record's source watermark for a live record of a
     * pinned version, the operator's otherwise.
     */
    public static long lateAgainst(boolean pinned, boolean history, long operatorWatermark, long sourceWatermark) {
        if (history) {
            return Long.MIN_VALUE;
        }
        return pinned ? Math.max(operatorWatermark, sourceWatermark) : operatorWatermark;
    }
}
