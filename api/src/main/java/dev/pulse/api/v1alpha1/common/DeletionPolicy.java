package dev.pulse.api.v1alpha1.common;

/**
 * What deleting a Pulse resource does to the data it made: its KafkaTopics and its serving tables.
 * The field is {@code spec.deletionPolicy} on every kind; unset means {@link #Retain}.
 */
public enum DeletionPolicy {
    /**
     * Keep the data: the KafkaTopics Pulse created are released (Strimzi stops managing them, the
     * records stay in Kafka) and an analysis's serving tables are retired (the API stops answering;
     * they are dropped once {@code serving.retention} has passed).
     */
    Retain,
    /** Remove the data: the KafkaTopics Pulse created are deleted (with their records) and an analysis's serving tables are dropped. */
    Delete;

    /** The policy a spec's value means (unset: Retain). */
    public static DeletionPolicy of(DeletionPolicy value) {
        return value == null ? Retain : value;
    }

    /** The description every kind's {@code spec.deletionPolicy} carries (what {@code kubectl explain} shows). */
    public static final String DESCRIPTION = "What deleting this resource does to its data. Retain (default): the KafkaTopics Pulse created "
            + "are released (annotated strimzi.io/managed: \"false\", so Strimzi leaves the topic and its records in Kafka) and an "
            + "analysis's serving tables are retired (the API stops answering; they are dropped after serving.retention). Delete: "
            + "the KafkaTopics Pulse created are deleted with their records and an analysis's serving tables are dropped. An "
            + "external topic (spec.kafka.external) is never changed or deleted.";
}
