package dev.pulse.pipeline.filter;

import dev.pulse.api.plan.ConditionPlan;
import dev.pulse.api.plan.FilterPlan;
import dev.pulse.pipeline.PlanPart;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.EventLayout;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A filter of the plan (any of {@code events}, all of {@code where}, the CEL {@code expression};
 * an empty part holds), compiled by {@link #open()} once per task into predicates.
 */
public final class AnalysisFilter implements Serializable {
    private static final long serialVersionUID = 1L;
    private final PlanPart<FilterPlan> part;
    private final EventLayout layout;
    private transient String[] eventList;
    private transient Set<String> eventSet;
    private transient ConditionPredicate[] conditions;
    private transient CelPredicate expression;

    public AnalysisFilter(FilterPlan plan, EventLayout layout) {
        this.part = PlanPart.of(plan == null ? FilterPlan.ALL : plan);
        this.layout = layout;
    }

    /** Compiles the filter; call once before {@link #test}. */
    public AnalysisFilter open() {
        FilterPlan plan = part.get();
        List<String> types = plan.events() == null ? List.of() : plan.events();
        // a short list is faster to scan than to hash
        eventList = types.isEmpty() || types.size() > 8 ? null : types.stream().map(String::intern).toArray(String[]::new);
        eventSet = types.size() > 8 ? new HashSet<>(types) : null;
        List<ConditionPlan> where = plan.where() == null ? List.of() : plan.where();
        conditions = where.stream().map(c -> new ConditionPredicate(c, layout.field(c.field()))).toArray(ConditionPredicate[]::new);
        expression = plan.expression() == null ? null : new CelPredicate(plan.expression(), layout);
        return this;
    }

    private static boolean anyOf(String[] types, String type) {
        if (type == null) {
            return false;
        }
        for (String t : types) {
            if (t == type || t.equals(type)) {
                return true;
            }
        }
        return false;
    }

    public boolean test(Event e) {
        if (eventList != null && !anyOf(eventList, e.type)) {
            return false;
        }
        if (eventSet != null && (e.type == null || !eventSet.contains(e.type))) {
            return false;
        }
        for (ConditionPredicate c : conditions) {
            if (!c.test(e)) {
                return false;
            }
        }
        return expression == null || expression.test(e);
    }
}
