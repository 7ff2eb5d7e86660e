package dev.pulse.render;

import dev.pulse.api.v1alpha1.common.Reasons;

/** A stream names a pipeline template that does not exist. */
public final class TemplateNotFoundException extends PipelineException {
    public TemplateNotFoundException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return Reasons.TEMPLATE_NOT_FOUND;
    }
}
