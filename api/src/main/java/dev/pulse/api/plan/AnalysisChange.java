package dev.pulse.api.plan;

import java.util.List;

/**
 * What applying new definitions does to one analysis (docs/changes.md), as {@link PlanChanges}
 * finds it by comparing plans.
 *
 * @param type the class of change
 * @param changed what differs, as the spec paths people edit: for {@code NewVersion} the semantic
 *     fields (empty when the definition is the same and only the version rules of the Pulse release
 *     that compiled the plans differ), for {@code SettingsOnly} the other settings; empty otherwise
 * @param before where and how it runs now; null when {@code New}
 * @param after where and how it will run; null when {@code Removed}
 */
public record AnalysisChange(Type type, AnalysisKind kind, String namespace, String name, List<String> changed, Placement before,
        Placement after) {

    /** The classes of change. Constant names are the words {@code pulse plan} prints. */
    public enum Type {
        /** Same version, same settings: nothing happens to it (its job may restart for another analysis's sake). */
        Unchanged,
        /** Not running before: computes its history from {@code spec.backfill.from}, then runs live. */
        New,
        /** The semantic hash differs: a new version with new state and tables, computed from {@code spec.backfill.from}; the old one answers until it caught up. */
        NewVersion,
        /** Same version, other settings differ: the job restarts with its state, or (moved to another pipeline) without it. */
        SettingsOnly,
        /** Not in the new definitions: its state is dropped; its tables are kept (deletion policy Retain). */
        Removed
    }

    /**
     * An analysis in a pipeline.
     *
     * @param pipeline the FlinkDeployment that runs it
     * @param stream the stream of that pipeline's plan
     * @param analysis the analysis's plan
     */
    public record Placement(String pipeline, StreamPlan stream, AnalysisPlan analysis) {
    }

    /**
     * Whether the analysis changes pipelines (isolation shared ↔ dedicated, or another stream):
     * Flink state belongs to a job, so its state does not move with it.
     */
    public boolean moved() {
        return before != null && after != null && !before.pipeline().equals(after.pipeline());
    }

    /** Whether the analysis carries on from its state (restored from its job's savepoint when the job restarts). */
    public boolean keepsState() {
        return (type == Type.Unchanged || type == Type.SettingsOnly) && !moved();
    }

    /**
     * Whether the analysis is the same version computed again by another job: it resumes from the
     * latest final window its tables hold (else from {@code spec.backfill.from}), into the same tables.
     */
    public boolean resumes() {
        return type == Type.SettingsOnly && moved();
    }

    /** How the new state gets its history, as declared: for New, NewVersion and a move; null when state is kept or dropped. */
    public BackfillPlan backfill() {
        if (after == null || keepsState()) {
            return null;
        }
        BackfillPlan b = after.analysis().backfill();
        return b == null ? BackfillPlan.EARLIEST : b;
    }
}
