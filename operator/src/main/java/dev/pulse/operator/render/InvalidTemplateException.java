package dev.pulse.operator.render;

/** A pipeline template is not a readable FlinkDeployment. */
public final class InvalidTemplateException extends PipelineException {
    public InvalidTemplateException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String reason() {
        return "InvalidTemplate";
    }
}
