package dev.pulse.api.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pulse.api.v1alpha1.retention.RetentionSpec;

/** Cohort and return filters, period length, number of periods and mode. */
public record RetentionPlan(FilterPlan cohort, @JsonProperty("return") FilterPlan returnFilter, long periodMs, int periods, RetentionSpec.Mode mode) {
}
