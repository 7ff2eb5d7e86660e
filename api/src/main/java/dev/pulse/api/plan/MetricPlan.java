package dev.pulse.api.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pulse.api.v1alpha1.eventstream.FieldType;
import dev.pulse.api.v1alpha1.metric.AggregationType;

/**
 * A Metric's aggregation.
 *
 * @param field the aggregated field (for countDistinct, the actor field when none was given)
 * @param fieldType its type
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricPlan(
        AggregationType aggregation,
        String field,
        FieldType fieldType,
        Double percentile,
        FilterPlan numerator,
        FilterPlan denominator,
        AnomalyPlan anomaly) {
}
