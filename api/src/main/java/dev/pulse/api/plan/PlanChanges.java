package dev.pulse.api.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * How every analysis and pipeline changes between two sets of plans: the one classification of
 * definition changes (docs/changes.md). {@code pulse plan} prints it; the operator, which holds the
 * previous plans (its plan ConfigMaps) and compiles the next ones, calls {@link #between} for the
 * same classes. It compares compiled plans, never YAML, so it sees exactly what a job would run:
 * a version is the semantic hash, everything else in the plan is a setting, and backfill pins
 * (when and where the operator handed a version over) are not a change.
 *
 * @param analyses one entry per analysis in either set, by namespace, kind and name
 * @param pipelines one entry per pipeline in either set, by namespace and name
 */
public record PlanChanges(List<AnalysisChange> analyses, List<PipelineChange> pipelines) {

    /** The changes that applying the plans {@code after} over the running plans {@code before} makes. */
    public static PlanChanges between(List<PipelinePlan> before, List<PipelinePlan> after) {
        Map<String, AnalysisChange.Placement> was = placements(before);
        Map<String, AnalysisChange.Placement> will = placements(after);
        TreeSet<String> keys = new TreeSet<>(was.keySet());
        keys.addAll(will.keySet());
        List<AnalysisChange> analyses = new ArrayList<>();
        for (String key : keys) {
            analyses.add(classify(was.get(key), will.get(key)));
        }
        return new PlanChanges(List.copyOf(analyses), pipelines(before, after));
    }

    /** The change of one analysis, if it is in either set. */
    public Optional<AnalysisChange> of(AnalysisKind kind, String namespace, String name) {
        return analyses.stream().filter(c -> c.kind() == kind && c.namespace().equals(namespace) && c.name().equals(name)).findFirst();
    }

    /** The change of one pipeline, if it is in either set. */
    public Optional<PipelineChange> pipeline(String namespace, String pipeline) {
        return pipelines.stream().filter(p -> p.namespace().equals(namespace) && p.pipeline().equals(pipeline)).findFirst();
    }

    private static AnalysisChange classify(AnalysisChange.Placement b, AnalysisChange.Placement a) {
        AnalysisPlan analysis = (a != null ? a : b).analysis();
        if (b == null) {
            return change(AnalysisChange.Type.New, analysis, List.of(), null, a);
        }
        if (a == null) {
            return change(AnalysisChange.Type.Removed, analysis, List.of(), b, null);
        }
        List<String> moved = moved(b, a);
        if (!b.analysis().semanticHash().equals(a.analysis().semanticHash())) {
            List<String> fields = new ArrayList<>(SemanticFields.between(b, a));
            fields.addAll(moved);
            return change(AnalysisChange.Type.NewVersion, analysis, fields, b, a);
        }
        List<String> settings = new ArrayList<>(moved);
        settings.addAll(settings(b, a));
        return change(settings.isEmpty() ? AnalysisChange.Type.Unchanged : AnalysisChange.Type.SettingsOnly, analysis, settings, b, a);
    }

    private static AnalysisChange change(AnalysisChange.Type type, AnalysisPlan a, List<String> changed, AnalysisChange.Placement before,
            AnalysisChange.Placement after) {
        return new AnalysisChange(type, a.kind(), a.namespace(), a.name(), List.copyOf(changed), before, after);
    }

    /** A move to another pipeline: of its own stream ({@code spec.pipeline.isolation}) or of another one ({@code spec.stream}). */
    private static List<String> moved(AnalysisChange.Placement b, AnalysisChange.Placement a) {
        if (b.pipeline().equals(a.pipeline())) {
            return List.of();
        }
        return List.of(b.stream().name().equals(a.stream().name()) ? "pipeline.isolation" : "stream");
    }

    /** The settings of a version that differ: in its plan, and the stream settings that are not part of versions. */
    private static List<String> settings(AnalysisChange.Placement b, AnalysisChange.Placement a) {
        List<String> out = new ArrayList<>();
        AnalysisPlan x = b.analysis();
        AnalysisPlan y = a.analysis();
        differs(out, "emitEvery", x, y, AnalysisPlan::emitEveryMs);
        differs(out, "anomaly", x, y, p -> p.metric() == null ? null : p.metric().anomaly());
        differs(out, "serving.retention", x, y, p -> p.serving().retentionMs());
        differs(out, "serving.rollups", x, y, p -> p.serving().rollupsMs());
        differs(out, "outputTopic", x, y, AnalysisPlan::outputTopic);
        if (out.isEmpty() && !withoutPins(x).equals(withoutPins(y))) {
            out.add("plan"); // a plan field this classification does not name yet: still a change, never hidden
        }
        differs(out, "stream.watermark.idleTimeout", b.stream(), a.stream(), StreamPlan::idleTimeoutMs);
        differs(out, "stream.pipeline.parallelism", b.stream(), a.stream(), StreamPlan::parallelism);
        differs(out, "stream.suspend", b.stream(), a.stream(), StreamPlan::suspend);
        return out;
    }

    static <T> void differs(List<String> out, String field, T x, T y, Function<T, ?> get) {
        if (!Objects.equals(get.apply(x), get.apply(y))) {
            out.add(field);
        }
    }

    private static List<PipelineChange> pipelines(List<PipelinePlan> before, List<PipelinePlan> after) {
        Map<String, PipelinePlan> was = byPipeline(before);
        Map<String, PipelinePlan> will = byPipeline(after);
        TreeSet<String> keys = new TreeSet<>(was.keySet());
        keys.addAll(will.keySet());
        List<PipelineChange> out = new ArrayList<>();
        for (String key : keys) {
            PipelinePlan b = was.get(key);
            PipelinePlan a = will.get(key);
            PipelinePlan any = a != null ? a : b;
            PipelineChange.Type type = b == null ? PipelineChange.Type.Created
                    : a == null ? PipelineChange.Type.Deleted
                    : withoutPins(b.forJob()).equals(withoutPins(a.forJob())) ? PipelineChange.Type.Unchanged : PipelineChange.Type.Restarted;
            out.add(new PipelineChange(any.stream().namespace(), any.pipeline(), type));
        }
        return List.copyOf(out);
    }

    private static Map<String, AnalysisChange.Placement> placements(List<PipelinePlan> plans) {
        Map<String, AnalysisChange.Placement> out = new TreeMap<>();
        for (PipelinePlan p : plans) {
            for (AnalysisPlan a : p.analyses()) {
                AnalysisChange.Placement previous = out.put(a.namespace() + "/" + a.kind() + "/" + a.name(),
                        new AnalysisChange.Placement(p.pipeline(), p.stream(), a));
                if (previous != null) {
                    throw new IllegalArgumentException(a.kind() + " " + a.namespace() + "/" + a.name() + " is in two pipelines: "
                            + previous.pipeline() + " and " + p.pipeline());
                }
            }
        }
        return out;
    }

    private static Map<String, PipelinePlan> byPipeline(List<PipelinePlan> plans) {
        Map<String, PipelinePlan> out = new TreeMap<>();
        plans.stream().sorted(Comparator.comparing(PipelinePlan::pipeline))
                .forEach(p -> out.put(p.stream().namespace() + "/" + p.pipeline(), p));
        return out;
    }

    /** The plan as a job runs it, whatever the operator pinned: backfill pins are not a change. */
    static PipelinePlan withoutPins(PipelinePlan p) {
        return new PipelinePlan(p.apiVersion(), p.pipeline(), null, p.stream(), p.analyses().stream().map(PlanChanges::withoutPins).toList());
    }

    static AnalysisPlan withoutPins(AnalysisPlan a) {
        return a.withBackfill(null);
    }
}
