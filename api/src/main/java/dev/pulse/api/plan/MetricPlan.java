package dev.pulse.api.plan;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A Metric's aggregation.
 *
 * @param field the aggregated field (for countDistinct, the actor field when none was given)
 * @param fieldType its type
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricPlan(
        String aggregation,
        String field,
        String fieldType,
        Double percentile,
        FilterPlan numerator,
        FilterPlan denominator,
        AnomalyPlan anomaly) {
}
