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
 */
public record StreamObservation(Validity validity, String validityMessage, String blockedReason, String blockedMessage,
        String desiredPlanHash, PipelineObservation pipeline) {
}
