package dev.pulse.cli;

import dev.pulse.api.plan.AnalysisChange;
import dev.pulse.api.plan.BackfillPlan;
import dev.pulse.api.plan.PipelineChange;
import dev.pulse.api.plan.PlanChanges;
import dev.pulse.api.v1alpha1.common.Durations;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code pulse plan}'s output: one row per analysis (NAMESPACE, ANALYSIS, CHANGE, BACKFILL FROM,
 * RECORDS when a stack told them, DETAIL), then one row per pipeline. docs/changes.md shows it.
 */
final class ChangeTable {
    private ChangeTable() {
    }

    /**
     * @param records per analysis id, the records its backfill reads; null when nothing was asked (offline)
     */
    static void print(PlanChanges changes, Map<String, Long> records, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(records == null ? new String[] {"NAMESPACE", "ANALYSIS", "CHANGE", "BACKFILL FROM", "DETAIL"}
                : new String[] {"NAMESPACE", "ANALYSIS", "CHANGE", "BACKFILL FROM", "RECORDS", "DETAIL"});
        for (AnalysisChange c : changes.analyses()) {
            String analysis = c.kind() + "/" + c.name();
            String detail = detail(c, changes);
            rows.add(records == null ? new String[] {c.namespace(), analysis, c.type().name(), backfillFrom(c), detail}
                    : new String[] {c.namespace(), analysis, c.type().name(), backfillFrom(c), records(c, records), detail});
        }
        if (rows.size() == 1) {
            out.println("No analyses in either set of definitions.");
        } else {
            Columns.print(rows, out);
        }
        List<String[]> pipelines = new ArrayList<>();
        pipelines.add(new String[] {"PIPELINE", "CHANGE", "DETAIL"});
        for (PipelineChange p : changes.pipelines()) {
            pipelines.add(new String[] {p.namespace() + "/" + p.pipeline(), p.type().name(), detail(p.type())});
        }
        if (pipelines.size() > 1) {
            out.println();
            Columns.print(pipelines, out);
        }
        out.flush();
    }

    private static String detail(AnalysisChange c, PlanChanges changes) {
        String fields = String.join(", ", c.changed());
        return switch (c.type()) {
            case Unchanged -> changes.pipeline(c.namespace(), c.after().pipeline()).orElseThrow().type() == PipelineChange.Type.Restarted
                    ? "its job restarts from the savepoint, state kept" : "-";
            case New -> "version " + c.after().analysis().semanticHash() + ", table " + table(c.after());
            case NewVersion -> (c.changed().isEmpty() ? "same definition, other version rules (compiled by another Pulse release)" : fields)
                    + ": version " + c.before().analysis().semanticHash() + " -> " + c.after().analysis().semanticHash() + ", new table "
                    + table(c.after()) + "; the old version answers until the new one has caught up";
            case SettingsOnly -> c.moved()
                    ? fields + ": moves from pipeline " + c.before().pipeline() + " to " + c.after().pipeline()
                            + "; state does not move: recomputed from its latest final window into the same tables"
                    : changes.pipeline(c.namespace(), c.after().pipeline()).orElseThrow().type() == PipelineChange.Type.Unchanged
                            ? fields + ": serving store only, the job does not restart"
                            : fields + ": its job restarts from the savepoint, state kept";
            case Removed -> "state dropped; table " + table(c.before()) + " kept (deletion policy Retain)";
        };
    }

    private static String table(AnalysisChange.Placement p) {
        return p.analysis().serving().schema() + "." + p.analysis().serving().table();
    }

    private static String detail(PipelineChange.Type type) {
        return switch (type) {
            case Created -> "a new job";
            case Restarted -> "stopped with a savepoint and restarted from it";
            case Unchanged -> "-";
            case Deleted -> "the job and its state go";
        };
    }

    private static String backfillFrom(AnalysisChange c) {
        if (c.resumes()) {
            return "latest final window";
        }
        BackfillPlan b = c.backfill();
        if (b == null) {
            return "-";
        }
        return switch (b.mode()) {
            case earliest -> "earliest";
            case none -> "none";
            case time -> Instant.ofEpochMilli(b.fromMs()).toString();
            case duration -> Durations.format(b.durationMs()) + " ago";
        };
    }

    private static String records(AnalysisChange c, Map<String, Long> records) {
        if (c.backfill() == null || c.resumes()) {
            return "-";
        }
        Long n = records.get(c.after().analysis().id());
        return n == null ? "?" : String.format(Locale.ROOT, "%,d", n);
    }
}
