package dev.pulse.operator.health;

import java.time.Instant;

/**
 * The consumer lag of one pipeline's consumer group on its stream's topic, as one probe round saw it.
 *
 * @param group the consumer group
 * @param records records behind the end of the topic, summed over partitions (null when unknown)
 * @param seconds estimated seconds behind: the largest over partitions (null when unknown)
 * @param committed whether the group has committed offsets at all (a job that never checkpointed has none)
 * @param asOf when it was measured
 * @param error why it could not be measured, or null
 */
public record LagReading(String group, Long records, Long seconds, boolean committed, Instant asOf, String error) {

    public static LagReading failed(String group, Instant asOf, String error) {
        return new LagReading(group, null, null, false, asOf, error);
    }

    public boolean known() {
        return error == null && records != null;
    }
}
