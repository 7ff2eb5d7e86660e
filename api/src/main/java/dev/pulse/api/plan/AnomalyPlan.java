package dev.pulse.api.plan;

import dev.pulse.api.v1alpha1.metric.AnomalySpec;

/** Anomaly detection settings with defaults applied. */
public record AnomalyPlan(AnomalySpec.Algorithm algorithm, AnomalySpec.Seasonality seasonality, double deviations, AnomalySpec.Direction direction,
        long minHistoryMs) {
}
