package dev.pulse.api.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The only contract between the operator and a pipeline job: one stream, the analyses that run
 * over it, and a content hash. Versioned by {@link #API_VERSION}; documented in docs/plan.md.
 *
 * @param apiVersion plan format version
 * @param pipeline name of the FlinkDeployment that runs this plan
 * @param hash content hash of everything else in the plan (hex SHA-256)
 * @param stream the stream read
 * @param analyses every analysis, sorted by id
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelinePlan(String apiVersion, String pipeline, String hash, StreamPlan stream, List<AnalysisPlan> analyses) {
    public static final String API_VERSION = "pulse.dev/plan-v1";

    /** This plan with its hash set. */
    public PipelinePlan withHash(String newHash) {
        return new PipelinePlan(apiVersion, pipeline, newHash, stream, analyses);
    }

    /**
     * The plan as its job executes it: without the serving settings only the serving store uses
     * (retention, rollups) and without a hash. Two plans whose {@code forJob()} are equal run the
     * same job.
     */
    public PipelinePlan forJob() {
        List<AnalysisPlan> out = analyses.stream().map(a -> {
            ServingPlan s = a.serving();
            ServingPlan jobs = s == null ? null : new ServingPlan(s.schema(), s.table(), 0, List.of(), s.columns());
            return new AnalysisPlan(a.id(), a.kind(), a.namespace(), a.name(), a.semanticHash(), a.dimensions(), a.filter(), a.window(),
                    a.allowedLatenessMs(), a.emitEveryMs(), a.metric(), a.funnel(), a.retention(), jobs, a.outputTopic(), a.backfill(), a.maxGroups());
        }).toList();
        return new PipelinePlan(apiVersion, pipeline, null, stream, out);
    }

    /**
     * Hash of {@link #forJob()}: the FlinkDeployment carries it, so a change of serving retention
     * or rollups alone updates the plan but never restarts the job.
     */
    public String jobHash() {
        return PlanJson.sha256(forJob());
    }

    /** Whether some analysis's backfill still needs pinning (see {@link BackfillPlan}). */
    public boolean needsPinning() {
        return needsPinning(null);
    }

    /**
     * Whether some analysis that is not in the deployed plan yet needs pinning. A version the
     * deployed plan already runs unpinned (deployed while its hand-over could not be read, or by a
     * Pulse release before backfill) is never pinned later: its state counts from where it
     * started, and a history read would count those records twice.
     *
     * @param deployed the plan its pipeline runs now, or null
     */
    public boolean needsPinning(PipelinePlan deployed) {
        return analyses.stream().anyMatch(a -> unpinnedAndNew(a, deployed));
    }

    private static boolean unpinnedAndNew(AnalysisPlan a, PipelinePlan deployed) {
        return a.backfill() != null && !a.backfill().pinned()
                && (deployed == null || deployed.analyses().stream().noneMatch(d -> d.id().equals(a.id())));
    }

    /**
     * This plan, sealed again, with every unpinned analysis pinned at {@code nowMs} and the
     * given hand-over: per partition, where the pipeline's next job resumes. A version that served before (going back
     * to an earlier definition) resumes: it backfills from the end of its latest final window
     * instead of its declared start.
     *
     * @param handOver partition to the offset the stopped pipeline's next job resumes from (its consumer group's committed position)
     * @param latestFinalWindowEnd per analysis id, the end of the latest final window its tables hold (epoch ms), if any
     */
    public PipelinePlan pinned(long nowMs, java.util.Map<Integer, Long> handOver, java.util.Map<String, Long> latestFinalWindowEnd) {
        return pinned(nowMs, handOver, latestFinalWindowEnd, null);
    }

    /**
     * As {@link #pinned(long, java.util.Map, java.util.Map)}, leaving alone the versions the
     * deployed plan already runs (see {@link #needsPinning(PipelinePlan)}).
     */
    public PipelinePlan pinned(long nowMs, java.util.Map<Integer, Long> handOver, java.util.Map<String, Long> latestFinalWindowEnd,
            PipelinePlan deployed) {
        List<AnalysisPlan> out = new java.util.ArrayList<>();
        for (AnalysisPlan a : analyses) {
            BackfillPlan b = a.backfill();
            if (!unpinnedAndNew(a, deployed)) {
                out.add(a);
                continue;
            }
            Long resume = latestFinalWindowEnd.get(a.id());
            if (resume != null && b.mode() != BackfillPlan.Mode.none) {
                long declared = b.mode() == BackfillPlan.Mode.duration ? nowMs - b.durationMs() : b.countFromMs();
                b = new BackfillPlan(BackfillPlan.Mode.time, Math.max(resume, declared), null, null, null);
            }
            out.add(a.withBackfill(b.pin(nowMs, handOver)));
        }
        return PlanJson.sealed(new PipelinePlan(apiVersion, pipeline, null, stream, List.copyOf(out)));
    }

    /** The analysis with the given kind and name, if in the plan. */
    public java.util.Optional<AnalysisPlan> analysis(AnalysisKind kind, String name) {
        return analyses.stream().filter(a -> a.kind() == kind && a.name().equals(name)).findFirst();
    }
}
