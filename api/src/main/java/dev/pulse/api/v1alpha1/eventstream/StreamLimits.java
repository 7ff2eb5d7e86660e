package dev.pulse.api.v1alpha1.eventstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * Limits on a stream's records: a record beyond them is malformed (docs/bad-events.md), goes to
 * the stream's dead-letter topic and counts in no number.
 */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StreamLimits {
    /** Default of {@link #maxRecordBytes}: 1 MiB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1_048_576;
    /** Default of {@link #maxValueLength}. */
    public static final int DEFAULT_MAX_VALUE_LENGTH = 256;

    @Min(1)
    @JsonPropertyDescription("A record whose value is larger than this many bytes is malformed (reason too-large). Default 1048576 (1 MiB).")
    private Integer maxRecordBytes;

    @Min(1)
    @JsonPropertyDescription("A string value of the event type, the actor or a declared field longer than this many characters is malformed (reason bad-string). Default 256.")
    private Integer maxValueLength;
}
