package dev.pulse.api.v1alpha1.eventstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import java.util.TreeMap;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * What the stream's pipeline did not count since it last started, as its dead-letter topic
 * ({@code <topic>.dlq}) records it: one record there per malformed input record, and one per
 * analysis a late event was late for.
 */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InputStatus {
    @JsonPropertyDescription("When the pipeline last started (RFC 3339): the counts cover the dead-letter records written since.")
    private String since;

    @JsonPropertyDescription("Malformed records by reason (too-large, not-json, not-object, no-time, bad-time, future-time, "
            + "wrong-type, bad-number, bad-string); reasons with none are absent. Such a record counts in no analysis.")
    private Map<String, Long> malformed = new TreeMap<>();

    @JsonPropertyDescription("Sum of malformed over all reasons.")
    private Long malformedTotal;

    @JsonPropertyDescription("Late records by analysis (<Kind>/<namespace>/<name>): events that arrived after the analysis had "
            + "made their window or their own time final; each counts in the other analyses.")
    private Map<String, Long> late = new TreeMap<>();

    @JsonPropertyDescription("Sum of late over all analyses.")
    private Long lateTotal;

    @JsonPropertyDescription("The latest dead-letter record: its reason and where its input record is.")
    private DeadLetterRecord last;

    @JsonPropertyDescription("When the operator last read the dead-letter topic and found these counts (RFC 3339); "
            + "kept while they do not change.")
    private String asOf;

    @JsonPropertyDescription("The topic the records were read from, <topic>.dlq.")
    private String deadLetterTopic;
}
