package dev.pulse.render;

import dev.pulse.api.v1alpha1.common.Reasons;

/**
 * A pipeline that keeps state would keep it where the next pod replacement loses it
 * ({@link StateDurability}); its FlinkDeployment is neither created nor changed.
 */
public final class EphemeralStateException extends PipelineException {
    private final StateDurability.EphemeralDirectory directory;

    public EphemeralStateException(String pipeline, String template, StateDurability.EphemeralDirectory directory) {
        super(message(pipeline, template, directory));
        this.directory = directory;
    }

    /** The directory that is not durable. */
    public StateDurability.EphemeralDirectory directory() {
        return directory;
    }

    @Override
    public String reason() {
        return Reasons.EPHEMERAL_STATE;
    }

    private static String message(String pipeline, String template, StateDurability.EphemeralDirectory dir) {
        String chartValue = RenderSettings.StateStorage.CHECKPOINTS_DIR.equals(dir.key())
                ? "pipelines.state.checkpointsDir" : "pipelines.state.savepointsDir";
        String value = dir.value() == null ? "" : " '" + dir.value() + "'";
        return "pipeline " + pipeline + " keeps its state where a pod replacement loses it: " + dir.key() + value
                + " is not durable (" + dir.why() + "). Set the chart value " + chartValue
                + " (and its sibling) to durable storage (s3://, gs://, abfss://, hdfs://, ...), mount a persistentVolumeClaim"
                + " at that path in pipeline template '" + template + "', or allow ephemeral state with the annotation "
                + StateDurability.ANNOTATION + ": \"" + StateDurability.ALLOWED + "\" in the metadata of template '" + template + "'";
    }
}
