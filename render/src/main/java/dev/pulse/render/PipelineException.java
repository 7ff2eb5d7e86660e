package dev.pulse.render;

/**
 * A problem the operator meets while turning a valid definition into Kubernetes objects; its
 * {@link #reason()} becomes the {@code Ready=False} reason.
 */
public abstract class PipelineException extends RuntimeException {
    protected PipelineException(String message) {
        super(message);
    }

    protected PipelineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Stable CamelCase reason for conditions and Events. */
    public abstract String reason();
}
