package dev.pulse.api.v1alpha1.eventstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.api.v1alpha1.common.PulseStatus;
import lombok.Data;
import lombok.EqualsAndHashCode;
import lombok.NoArgsConstructor;

/** Status of an EventStream: the common status plus what its pipeline did not count. */
@Data
@NoArgsConstructor
@EqualsAndHashCode(callSuper = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EventStreamStatus extends PulseStatus {
    @JsonPropertyDescription("Records of the topic the pipeline did not count since it last started: malformed records by reason, "
            + "late records by analysis, read from the stream's dead-letter topic (docs/bad-events.md). Absent until the pipeline "
            + "has started and the operator has read the dead-letter topic.")
    private InputStatus input;
}
