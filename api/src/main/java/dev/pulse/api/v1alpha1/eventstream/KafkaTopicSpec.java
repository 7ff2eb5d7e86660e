package dev.pulse.api.v1alpha1.eventstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.api.v1alpha1.common.Durations;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.Data;
import lombok.NoArgsConstructor;

/** The Kafka topic of an EventStream. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaTopicSpec {
    @JsonPropertyDescription("The Strimzi Kafka cluster (the strimzi.io/cluster label of the KafkaTopic). Default: the operator's configured cluster.")
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    private String cluster;

    @Required
    @JsonPropertyDescription("Topic name: letters, digits, '.', '_' and '-', at most 249 characters.")
    @Pattern("^[a-zA-Z0-9._-]{1,249}$")
    private String topic;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Number of partitions. Default 6.")
    private Integer partitions;

    @Min(1)
    @Max(10)
    @JsonPropertyDescription("Replication factor. Default: the Kafka cluster's default.replication.factor (the KafkaTopic leaves it out).")
    private Integer replicas;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("How long Kafka keeps records, e.g. 7d. Default 7d. Windows must fit in it.")
    private String retention;

    @JsonPropertyDescription("The topic exists already and is managed elsewhere: Pulse reads it, creates no KafkaTopic for it, and never changes "
            + "or deletes it. Required to read a topic that exists already (in Kafka, or as a KafkaTopic Pulse did not create for "
            + "this stream); without it such a stream is refused. The dead-letter topic is Pulse's own either way.")
    private Boolean external;
}
