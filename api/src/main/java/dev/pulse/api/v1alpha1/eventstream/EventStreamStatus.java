package dev.pulse.api.v1alpha1.eventstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.api.v1alpha1.common.PulseStatus;
import java.util.List;
import lombok.Data;
import lombok.EqualsAndHashCode;
import lombok.NoArgsConstructor;

/** Status of an EventStream: the common status plus what its pipeline did not count and the lag of each of its pipelines. */
@Data
@NoArgsConstructor
@EqualsAndHashCode(callSuper = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EventStreamStatus extends PulseStatus {
    @JsonPropertyDescription("Records of the topic the pipeline did not count since it last started: malformed records by reason, "
            + "late records by analysis, read from the stream's dead-letter topic (docs/bad-events.md). Absent until the pipeline "
            + "has started and the operator has read the dead-letter topic.")
    private InputStatus input;

    @JsonPropertyDescription("The consumer lag of each pipeline reading the stream, by pipeline name: its shared pipeline (the same figures as "
            + "status.lag) and each dedicated one, each committing to its own consumer group. Measured every probe interval; asOf says when, "
            + "stale that the latest probes could not measure it (see condition Probing). An analysis's own status.lag is its pipeline's.")
    private List<PipelineLag> pipelineLags;
}
