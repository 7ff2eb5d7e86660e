package dev.pulse.serving;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.AnomalyPlan;
import dev.pulse.api.plan.FilterPlan;
import dev.pulse.api.plan.FunnelPlan;
import dev.pulse.api.plan.MetricPlan;
import dev.pulse.api.plan.RetentionPlan;
import dev.pulse.api.plan.ServingPlan;
import dev.pulse.api.plan.WindowPlan;
import dev.pulse.api.v1alpha1.common.WindowType;
import dev.pulse.api.v1alpha1.funnel.FunnelSpec.CountBy;
import dev.pulse.api.v1alpha1.funnel.FunnelSpec.Order;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.api.v1alpha1.metric.AnomalySpec.Algorithm;
import dev.pulse.api.v1alpha1.metric.AnomalySpec.Direction;
import dev.pulse.api.v1alpha1.metric.AnomalySpec.Seasonality;
import dev.pulse.api.v1alpha1.retention.RetentionSpec;
import java.util.List;

/** Analysis plans as the compiler writes them, built by hand for tests. */
final class Plans {
    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 86_400_000L;

    private Plans() {
    }

    static AnalysisPlan metric(String ns, String name, String hash, AggregationType aggregation, List<String> dims, long windowMs,
            List<Long> rollups, boolean anomaly, long retentionMs) {
        AnomalyPlan a = anomaly ? new AnomalyPlan(Algorithm.zscore, Seasonality.none, 3, Direction.both, DAY) : null;
        return new AnalysisPlan("mt-" + ns + "-" + name + "-" + hash, AnalysisKind.Metric, ns, name, hash, dims, FilterPlan.ALL,
                new WindowPlan(WindowType.tumbling, windowMs, 0, 0), 0, 5000,
                new MetricPlan(aggregation, null, null, aggregation == AggregationType.percentile ? 95.0 : null, null, null, a), null, null,
                serving(ns, "mt", name, hash, dims, rollups, retentionMs), null, null);
    }

    static AnalysisPlan funnel(String ns, String name, String hash, List<String> steps, CountBy countBy, List<String> dims, long windowMs) {
        FunnelPlan f = new FunnelPlan(steps.stream().map(s -> new FunnelPlan.StepPlan(s, FilterPlan.ALL)).toList(), Order.ordered,
                30 * MINUTE, List.of(), countBy);
        return new AnalysisPlan("fn-" + ns + "-" + name + "-" + hash, AnalysisKind.Funnel, ns, name, hash, dims, null,
                new WindowPlan(WindowType.tumbling, windowMs, 0, 0), 0, 5000, null, f, null,
                serving(ns, "fn", name, hash, dims, List.of(), 30 * DAY), null, null);
    }

    static AnalysisPlan retention(String ns, String name, String hash, int periods, List<String> dims) {
        RetentionPlan r = new RetentionPlan(FilterPlan.ALL, FilterPlan.ALL, DAY, periods, RetentionSpec.Mode.bounded);
        return new AnalysisPlan("rt-" + ns + "-" + name + "-" + hash, AnalysisKind.Retention, ns, name, hash, dims, null,
                new WindowPlan(WindowType.tumbling, DAY, 0, 0), 0, 5000, null, null, r,
                serving(ns, "rt", name, hash, dims, List.of(), 400 * DAY), null, null);
    }

    private static ServingPlan serving(String ns, String prefix, String name, String hash, List<String> dims, List<Long> rollups,
            long retentionMs) {
        return new ServingPlan("pulse_" + ns, prefix + "_" + name + "_" + hash, retentionMs, rollups,
                dims.stream().map(d -> "d_" + d).toList());
    }
}
