package dev.pulse.operator.drift;

import java.time.LocalDate;

/**
 * What comparing one day gave.
 *
 * @param day the day compared
 * @param kind what happened
 * @param comparison the figures (COMPARED), or null
 * @param streaming the streaming day total when the batch row was missing, or null
 * @param message what went wrong (everything but COMPARED)
 */
public record DriftOutcome(LocalDate day, Kind kind, DriftComparison comparison, Double streaming, String message) {

    /** The outcomes; each maps to a reason of DriftWithinTolerance. */
    public enum Kind {
        /** both sides read and compared */
        COMPARED,
        /** the batch table has no row for the day: neither clean nor drift */
        BATCH_ROW_MISSING,
        /** the Metric's streaming total cannot be compared (window, rollups, dimensions) */
        NOT_COMPARABLE,
        /** spec.reconciliation.source names no configured batch source */
        SOURCE_NOT_CONFIGURED,
        /** the serving database is not configured */
        SERVING_NOT_CONFIGURED,
        /** a query failed; retried later */
        FAILED
    }

    public static DriftOutcome compared(LocalDate day, DriftComparison c) {
        return new DriftOutcome(day, Kind.COMPARED, c, null, null);
    }

    public static DriftOutcome of(LocalDate day, Kind kind, String message) {
        return new DriftOutcome(day, kind, null, null, message);
    }
}
