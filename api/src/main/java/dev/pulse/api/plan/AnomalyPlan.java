package dev.pulse.api.plan;

/** Anomaly detection settings with defaults applied. */
public record AnomalyPlan(String algorithm, String seasonality, double deviations, String direction, long minHistoryMs) {
}
