package dev.pulse.operator.status;

/**
 * What the operator saw of one analysis (Metric, Funnel or Retention).
 *
 * @param validity whether its definition compiles against its stream
 * @param validityMessage the compiler's problems, one per line, when it does not
 * @param currentAnalysisId the id the current definition compiles to, or null when invalid
 * @param deployedAnalysisId the id of this analysis in its pipeline's plan ConfigMap, or null when absent
 * @param pipeline its pipeline's FlinkDeployment
 * @param blockedReason why its valid definition cannot run in its pipeline (the stream's reason, e.g.
 *     EphemeralState or TemplateNotFound), or null
 * @param blockedMessage what to do about it
 * @param deployedPlanHash the job hash of the plan in its pipeline's ConfigMap (what the FlinkDeployment should have
 *     reconciled), or null when there is none
 * @param servingUnavailable why the serving database cannot be used now, or null when it answers
 * @param topics the KafkaTopics the analysis owns (a Metric's result topic) for TopicReady; empty: none (the condition
 *     goes); null: unknown (an invalid definition: the condition stays as it was)
 */
public record AnalysisObservation(Validity validity, String validityMessage, String currentAnalysisId,
        String deployedAnalysisId, PipelineObservation pipeline, String blockedReason, String blockedMessage,
        String deployedPlanHash, String servingUnavailable, java.util.List<TopicObservation> topics) {

    public AnalysisObservation(Validity validity, String validityMessage, String currentAnalysisId, String deployedAnalysisId,
            PipelineObservation pipeline, String blockedReason, String blockedMessage) {
        this(validity, validityMessage, currentAnalysisId, deployedAnalysisId, pipeline, blockedReason, blockedMessage, null, null, null);
    }

    /** The same observation with what is known of the deployed plan and the serving database. */
    public AnalysisObservation with(String deployedPlanHash, String servingUnavailable) {
        return new AnalysisObservation(validity, validityMessage, currentAnalysisId, deployedAnalysisId, pipeline, blockedReason,
                blockedMessage, deployedPlanHash, servingUnavailable, topics);
    }

    /** The same observation with the analysis's own KafkaTopics. */
    public AnalysisObservation withTopics(java.util.List<TopicObservation> topics) {
        return new AnalysisObservation(validity, validityMessage, currentAnalysisId, deployedAnalysisId, pipeline, blockedReason,
                blockedMessage, deployedPlanHash, servingUnavailable, topics);
    }

    /** An analysis whose pipeline is not blocked. */
    public AnalysisObservation(Validity validity, String validityMessage, String currentAnalysisId, String deployedAnalysisId,
            PipelineObservation pipeline) {
        this(validity, validityMessage, currentAnalysisId, deployedAnalysisId, pipeline, null, null);
    }
}
