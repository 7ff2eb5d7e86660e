package dev.pulse.api.v1alpha1.common;

import java.util.List;

/** What every analysis (Metric, Funnel, Retention) declares besides its own semantics. */
public interface AnalysisSpec {
    String getStream();

    String getDescription();

    String getOwner();

    List<String> getDimensions();

    Serving getServing();

    String getFreshnessObjective();

    PipelineOptions getPipeline();

    Backfill getBackfill();

    /** Bounds on what the analysis keeps (maxGroups), or null for the defaults. */
    AnalysisLimits getLimits();

    /** What deleting the analysis does to its tables and topics, or null for {@link DeletionPolicy#Retain}. */
    DeletionPolicy getDeletionPolicy();
}
