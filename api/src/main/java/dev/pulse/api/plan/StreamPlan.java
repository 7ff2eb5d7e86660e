package dev.pulse.api.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The stream a plan reads and how its records are parsed.
 *
 * @param fields the schema fields any analysis uses (sorted by name), besides the three below
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamPlan(
        String namespace,
        String name,
        String topic,
        String consumerGroup,
        String format,
        String eventTypeField,
        String actorField,
        String timestampField,
        String timestampFormat,
        long maxOutOfOrdernessMs,
        long idleTimeoutMs,
        List<FieldPlan> fields,
        int parallelism,
        boolean suspend) {

    /** The settings of this stream that are part of every analysis's version over it. */
    @JsonIgnore
    public Semantics semantics() {
        return new Semantics(topic, format, eventTypeField, actorField, timestampField, timestampFormat, maxOutOfOrdernessMs);
    }

    /**
     * The settings of a stream that decide which events count, and so change numbers: they are
     * part of the semantic hash of every analysis over the stream (docs/changes.md). The idle
     * timeout, parallelism and suspension are not: they change when a job computes, not what.
     * Any setting added to the stream that decides which records count (limits) belongs here.
     */
    public record Semantics(
            String topic,
            String format,
            String eventTypeField,
            String actorField,
            String timestampField,
            String timestampFormat,
            long maxOutOfOrdernessMs) {
    }
}
