package dev.pulse.render;

import dev.pulse.api.v1alpha1.common.Reasons;

/** A pipeline template is not a readable FlinkDeployment. */
public final class InvalidTemplateException extends PipelineException {
    public InvalidTemplateException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String reason() {
        return Reasons.INVALID_TEMPLATE;
    }
}
