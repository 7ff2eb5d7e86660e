package dev.pulse.api.plan;

import java.util.List;

/** A funnel's steps, order mode, conversion window, exclusions and counting mode. */
public record FunnelPlan(List<StepPlan> steps, String order, long conversionWindowMs, List<ExclusionPlan> exclusions, String countBy) {

    /** One step. */
    public record StepPlan(String name, FilterPlan filter) {
    }

    /** Events that disqualify an attempt whose level is in [fromStep, toStep). */
    public record ExclusionPlan(FilterPlan filter, int fromStep, int toStep) {
    }
}
