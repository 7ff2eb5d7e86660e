package dev.pulse.api.v1alpha1.common;

import java.util.List;

/** Anything that selects events: a filter, a funnel step, an exclusion, or a Metric's spec itself. */
public interface EventFilter {
    List<String> getEvents();

    List<WhereCondition> getWhere();

    String getExpression();
}
