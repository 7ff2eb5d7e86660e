package dev.pulse.operator.health;

import java.time.Instant;
import java.util.Map;

/**
 * What one EventStream's dead-letter topic held, counted since its pipeline last started.
 *
 * @param topic the dead-letter topic read
 * @param since when the pipeline last started: records appended from then on are counted
 * @param malformed malformed records by reason code
 * @param late late records by analysis ({@code <Kind>/<namespace>/<name>})
 * @param last the latest record counted, or null when none
 * @param asOf when the counts were last found to change (the first read, or the read that counted new records)
 * @param error why the topic could not be read this round (the counts are then the last known), or null
 */
public record InputReading(String topic, Instant since, Map<String, Long> malformed, Map<String, Long> late, Last last,
        Instant asOf, String error) {

    /**
     * One dead-letter record.
     *
     * @param reason its {@code pulse-reason}
     * @param analysis its {@code pulse-analysis}, or null
     * @param partition its {@code pulse-partition} (the input record's), or null when absent
     * @param offset its {@code pulse-offset}, or null when absent
     * @param at when it was appended to the dead-letter topic
     */
    public record Last(String reason, String analysis, Integer partition, Long offset, Instant at) {
    }

    public long malformedTotal() {
        return malformed.values().stream().mapToLong(Long::longValue).sum();
    }

    public long lateTotal() {
        return late.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The same counts with another error (asOf unchanged). */
    InputReading withError(String why) {
        return new InputReading(topic, since, malformed, late, last, asOf, why);
    }
}
