package dev.pulse.api.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pulse.api.v1alpha1.common.AnalysisLimits;
import java.util.List;

/**
 * One analysis in a plan. Exactly one of {@code metric}, {@code funnel}, {@code retention} is set,
 * matching {@code kind}.
 *
 * @param id stable id: kind, namespace, name and {@code semanticHash}; the pipeline derives operator uids from it
 * @param semanticHash hash of everything that changes results (not description, owner, serving, cadence)
 * @param filter the analysis's own filter (Metrics); funnels and retention filter per step/side
 * @param outputTopic Kafka topic for results, or null
 * @param backfill how this version gets its history (not part of the semantic hash); null in plans older than backfill
 * @param maxGroups the most dimension combinations one window keeps as rows of their own (docs/semantics.md,
 *        "Cardinality"); null (absent) means {@link AnalysisLimits#DEFAULT_MAX_GROUPS}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisPlan(
        String id,
        AnalysisKind kind,
        String namespace,
        String name,
        String semanticHash,
        List<String> dimensions,
        FilterPlan filter,
        WindowPlan window,
        long allowedLatenessMs,
        long emitEveryMs,
        MetricPlan metric,
        FunnelPlan funnel,
        RetentionPlan retention,
        ServingPlan serving,
        String outputTopic,
        BackfillPlan backfill,
        Integer maxGroups) {

    /** An analysis with the default {@code maxGroups}. */
    public AnalysisPlan(String id, AnalysisKind kind, String namespace, String name, String semanticHash, List<String> dimensions,
            FilterPlan filter, WindowPlan window, long allowedLatenessMs, long emitEveryMs, MetricPlan metric, FunnelPlan funnel,
            RetentionPlan retention, ServingPlan serving, String outputTopic, BackfillPlan backfill) {
        this(id, kind, namespace, name, semanticHash, dimensions, filter, window, allowedLatenessMs, emitEveryMs, metric, funnel,
                retention, serving, outputTopic, backfill, null);
    }

    /** {@link #maxGroups()}, or its default in plans older than the limit. */
    public int groupLimit() {
        return maxGroups == null ? AnalysisLimits.DEFAULT_MAX_GROUPS : maxGroups;
    }

    /** This analysis with another backfill (pinned, carried over). */
    public AnalysisPlan withBackfill(BackfillPlan b) {
        return new AnalysisPlan(id, kind, namespace, name, semanticHash, dimensions, filter, window, allowedLatenessMs, emitEveryMs,
                metric, funnel, retention, serving, outputTopic, b, maxGroups);
    }
}
