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

    /** The analysis with the given kind and name, if in the plan. */
    public java.util.Optional<AnalysisPlan> analysis(AnalysisKind kind, String name) {
        return analyses.stream().filter(a -> a.kind() == kind && a.name().equals(name)).findFirst();
    }
}
