package dev.pulse.api.v1alpha1.eventstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Where an event's time is. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TimestampSpec {
    @Required
    @Pattern(FieldSpec.NAME_PATTERN)
    @JsonPropertyDescription("The field that holds the event time.")
    private String field;

    @JsonPropertyDescription("epochMillis (default), epochSeconds or iso8601.")
    private TimestampFormat format = TimestampFormat.epochMillis;

    /** How event times are written. */
    public enum TimestampFormat {
        epochMillis, epochSeconds, iso8601
    }
}
