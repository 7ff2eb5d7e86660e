package dev.pulse.operator.render;

/** A stream names a pipeline template that does not exist. */
public final class TemplateNotFoundException extends PipelineException {
    public TemplateNotFoundException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return "TemplateNotFound";
    }
}
