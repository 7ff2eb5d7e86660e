package dev.pulse.api.plan;

/**
 * What applying new definitions does to one pipeline (FlinkDeployment): a plan whose content
 * changes (backfill pins aside) rolls the job, stopped with a savepoint and restored from it.
 */
public record PipelineChange(String namespace, String pipeline, Type type) {

    /** The classes of change of a pipeline. */
    public enum Type {
        /** A new job. */
        Created,
        /** Its plan changes: the job restarts from its savepoint; analyses that keep their state restore it. */
        Restarted,
        /** Its plan is the same: the job runs on untouched. */
        Unchanged,
        /** No analysis left in it: the job and its state go. */
        Deleted
    }
}
