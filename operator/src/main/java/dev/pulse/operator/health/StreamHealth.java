package dev.pulse.operator.health;

import java.time.Instant;
import java.util.Map;

/**
 * One probe round of one EventStream.
 *
 * @param namespace the stream's namespace
 * @param stream the stream's name
 * @param asOf when the round ran
 * @param lag lag by consumer group (one per pipeline of the stream)
 * @param freshness progress by analysis ({@link #key(String, String)}); an analysis absent here has no catalog row yet
 * @param freshnessError why the catalog could not be read, or null; {@link #SERVING_NOT_CONFIGURED} when there is no serving database
 * @param backfills progress of each history read still in the stream's plans, by {@code BackfillPlan.historyId()}
 */
public record StreamHealth(String namespace, String stream, Instant asOf, Map<String, LagReading> lag,
        Map<String, FreshnessReading> freshness, String freshnessError, Map<String, BackfillReading> backfills) {
    public static final String SERVING_NOT_CONFIGURED = "no serving database configured (pulse.jdbc.url)";

    public static String key(String kind, String name) {
        return kind + "/" + name;
    }
}
