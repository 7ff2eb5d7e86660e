package dev.pulse.operator.health;

import java.time.Instant;

/**
 * An analysis's progress in the serving store, from the catalog.
 *
 * @param latestFinalWindowEnd end of the latest final window of its active table version, or null when none is final yet
 * @param latestUpdate the latest write into that table (provisional or final), or null
 * @param version the active version (semantic hash): the one the serving API answers from
 * @param cappedWindow the start of the latest of its recent windows that hit {@code spec.limits.maxGroups} (it has an
 *     {@code __other__} row, {@link CappedGroups}), or null when none did
 */
public record FreshnessReading(Instant latestFinalWindowEnd, Instant latestUpdate, String version, Instant cappedWindow) {

    /** A reading without capped windows. */
    public FreshnessReading(Instant latestFinalWindowEnd, Instant latestUpdate, String version) {
        this(latestFinalWindowEnd, latestUpdate, version, null);
    }

    /** The same reading with a capped window. */
    public FreshnessReading withCappedWindow(Instant window) {
        return new FreshnessReading(latestFinalWindowEnd, latestUpdate, version, window);
    }
}
