package dev.pulse.api.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A filter: any of {@code events}, all of {@code where}, and the CEL {@code expression}; empty parts hold. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FilterPlan(List<String> events, List<ConditionPlan> where, String expression) {
    /** Empty lists are left out of plan JSON: read back, they are empty again (so a plan read equals the plan written). */
    public FilterPlan {
        events = events == null ? List.of() : events;
        where = where == null ? List.of() : where;
    }

    /** The filter every event passes. */
    public static final FilterPlan ALL = new FilterPlan(List.of(), List.of(), null);
}
