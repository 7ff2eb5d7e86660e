package dev.pulse.api.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The stream a plan reads and how its records are parsed and admitted (docs/bad-events.md).
 *
 * @param maxFutureSkewMs a record whose event time is later than its Kafka timestamp (in replay,
 *        the wall clock) plus this is malformed ({@code future-time})
 * @param maxRecordBytes a record larger than this is malformed ({@code too-large})
 * @param maxValueLength a string value (event type, actor, declared string) longer than this, in
 *        characters, is malformed ({@code bad-string})
 * @param fields the stream's whole declared schema (sorted by name), besides the event-type,
 *        actor and timestamp fields: every field is checked on every record, whichever analyses
 *        read it, so a record's fate depends only on its stream
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
        long maxFutureSkewMs,
        int maxRecordBytes,
        int maxValueLength,
        List<FieldPlan> fields,
        int parallelism,
        boolean suspend) {

    /** The settings of this stream that are part of every analysis's version over it. */
    @JsonIgnore
    public Semantics semantics() {
        return new Semantics(topic, format, eventTypeField, actorField, timestampField, timestampFormat, maxOutOfOrdernessMs,
                maxFutureSkewMs, maxRecordBytes, maxValueLength);
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
            long maxOutOfOrdernessMs,
            long maxFutureSkewMs,
            int maxRecordBytes,
            int maxValueLength) {
    }
}
