package dev.pulse.operator.status;

/**
 * What the operator saw of one EventStream.
 *
 * @param validity VALID or INVALID_SPEC
 * @param validityMessage the compiler's problems, one per line, when invalid
 * @param blockedReason a reason the valid stream's pipeline cannot be built (e.g. TemplateNotFound,
 *     StrimziNotInstalled), or null
 * @param blockedMessage what to do about it
 * @param desiredPlanHash hash of the plan the shared pipeline should run, or null when invalid
 * @param pipeline the shared pipeline's FlinkDeployment
 * @param topics the KafkaTopics the operator manages for the stream (input unless external, dead letters), as Strimzi reports them
 * @param servingUnavailable why the serving database cannot be used now, or null when it answers
 * @param health what the stream's latest probe round saw of its shared pipeline (its lag, whether the
 *     round read Kafka and the catalog, how old it is), or null to keep {@code status.lag}, {@code status.pipelineLags} and
 *     {@code Probing} as they are
 * @param pipelineLags what the same round saw of each of the stream's pipelines (shared and dedicated), for {@code status.pipelineLags}
 */
public record StreamObservation(Validity validity, String validityMessage, String blockedReason, String blockedMessage,
        String desiredPlanHash, PipelineObservation pipeline, java.util.List<TopicObservation> topics, String servingUnavailable,
        HealthObservation health, java.util.List<PipelineLags.Reading> pipelineLags) {

    public StreamObservation(Validity validity, String validityMessage, String blockedReason, String blockedMessage, String desiredPlanHash,
            PipelineObservation pipeline, java.util.List<TopicObservation> topics, String servingUnavailable, HealthObservation health) {
        this(validity, validityMessage, blockedReason, blockedMessage, desiredPlanHash, pipeline, topics, servingUnavailable, health,
                java.util.List.of());
    }

    public StreamObservation(Validity validity, String validityMessage, String blockedReason, String blockedMessage, String desiredPlanHash,
            PipelineObservation pipeline, java.util.List<TopicObservation> topics, String servingUnavailable) {
        this(validity, validityMessage, blockedReason, blockedMessage, desiredPlanHash, pipeline, topics, servingUnavailable, null);
    }

    public StreamObservation(Validity validity, String validityMessage, String blockedReason, String blockedMessage, String desiredPlanHash,
            PipelineObservation pipeline) {
        this(validity, validityMessage, blockedReason, blockedMessage, desiredPlanHash, pipeline, java.util.List.of(), null);
    }
}
