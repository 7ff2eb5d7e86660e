package dev.pulse.api.v1alpha1.eventstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.api.v1alpha1.common.DeletionPolicy;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;
import lombok.NoArgsConstructor;

/** The desired state of an EventStream. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.eventTypeField != self.actorField && self.eventTypeField != self.timestamp.field && self.actorField != self.timestamp.field",
        message = "eventTypeField, actorField and timestamp.field must be three different fields")
public class EventStreamSpec {
    @Required
    @JsonPropertyDescription("The Kafka topic the events are in.")
    private KafkaTopicSpec kafka = new KafkaTopicSpec();

    @JsonPropertyDescription("Encoding of each record: json (one JSON object per record).")
    private Format format = Format.json;

    @Required
    @JsonPropertyDescription("The field that names each event's type (e.g. event).")
    @io.fabric8.generator.annotation.Pattern(FieldSpec.NAME_PATTERN)
    private String eventTypeField;

    @Required
    @JsonPropertyDescription("The field that identifies the actor (e.g. user_id): funnels, retention and distinct counts follow it.")
    @io.fabric8.generator.annotation.Pattern(FieldSpec.NAME_PATTERN)
    private String actorField;

    @Required
    @JsonPropertyDescription("Where each event's time is and how it is written.")
    private TimestampSpec timestamp = new TimestampSpec();

    @JsonPropertyDescription("How long the pipeline waits for out-of-order events, when an idle partition stops holding time back, and how far in the future an event time may be.")
    private WatermarkSpec watermark;

    @Size(max = 200)
    @JsonPropertyDescription("The schema every definition over this stream is checked against (besides the event-type, actor and timestamp fields).")
    private List<FieldSpec> fields = new ArrayList<>();

    @JsonPropertyDescription("Limits on each record: a record beyond them is malformed and goes to the dead-letter topic (docs/bad-events.md).")
    private StreamLimits limits;

    @JsonPropertyDescription("Suspends the stream's pipeline (its state is kept in a savepoint) when true.")
    private Boolean suspend;

    @JsonPropertyDescription("The stream's pipeline: template and parallelism.")
    private StreamPipelineSpec pipeline;

    @io.fabric8.generator.annotation.Default("Retain")
    @JsonPropertyDescription(DeletionPolicy.DESCRIPTION)
    private DeletionPolicy deletionPolicy;

    /** Encodings of stream records. */
    public enum Format {
        json
    }
}
