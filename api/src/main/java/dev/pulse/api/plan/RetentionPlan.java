package dev.pulse.api.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Cohort and return filters, period length, number of periods and mode. */
public record RetentionPlan(FilterPlan cohort, @JsonProperty("return") FilterPlan returnFilter, long periodMs, int periods, String mode) {
}
