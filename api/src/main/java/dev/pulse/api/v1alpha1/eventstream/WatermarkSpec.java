package dev.pulse.api.v1alpha1.eventstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.api.v1alpha1.common.Durations;
import io.fabric8.generator.annotation.Pattern;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Watermark policy of a stream. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WatermarkSpec {
    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("How far out of order events may arrive before they count as late. Default 30s.")
    private String maxOutOfOrderness;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("A partition without events for this long stops holding the watermark back. Default 1m.")
    private String idleTimeout;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("A record whose event time is later than its Kafka timestamp (in pulse replay, the wall clock) plus this is malformed (reason future-time). Default 1h.")
    private String maxFutureSkew;
}
