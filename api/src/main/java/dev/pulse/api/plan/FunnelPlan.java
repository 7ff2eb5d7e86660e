package dev.pulse.api.plan;

import dev.pulse.api.v1alpha1.funnel.FunnelSpec;
import java.util.List;

/** A funnel's steps, order mode, conversion window, exclusions and counting mode. */
public record FunnelPlan(List<StepPlan> steps, FunnelSpec.Order order, long conversionWindowMs, List<ExclusionPlan> exclusions, FunnelSpec.CountBy countBy) {

    /** One step. */
    public record StepPlan(String name, FilterPlan filter) {
    }

    /** Events that disqualify an attempt whose level is in [fromStep, toStep). */
    public record ExclusionPlan(FilterPlan filter, int fromStep, int toStep) {
    }
}
