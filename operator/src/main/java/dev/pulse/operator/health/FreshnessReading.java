package dev.pulse.operator.health;

import java.time.Instant;

/**
 * An analysis's progress in the serving store, from the catalog.
 *
 * @param latestFinalWindowEnd end of the latest final window of its active table version, or null when none is final yet
 * @param latestUpdate the latest write into that table (provisional or final), or null
 * @param version the active version (semantic hash): the one the serving API answers from
 */
public record FreshnessReading(Instant latestFinalWindowEnd, Instant latestUpdate, String version) {
}
