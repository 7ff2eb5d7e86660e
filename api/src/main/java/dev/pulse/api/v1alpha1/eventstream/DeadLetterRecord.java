package dev.pulse.api.v1alpha1.eventstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;
import lombok.NoArgsConstructor;

/** One record of a stream's dead-letter topic: why its input record was not counted and where that record is. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeadLetterRecord {
    @JsonPropertyDescription("Why the record was not counted: a malformed reason (e.g. not-json) or late.")
    private String reason;

    @JsonPropertyDescription("For late records, the analysis it was late for (<Kind>/<namespace>/<name>).")
    private String analysis;

    @JsonPropertyDescription("The input topic's partition of the record.")
    private Integer partition;

    @JsonPropertyDescription("The record's offset in that partition: read it with any Kafka consumer.")
    private Long offset;

    @JsonPropertyDescription("When the record was written to the dead-letter topic (RFC 3339).")
    private String at;
}
