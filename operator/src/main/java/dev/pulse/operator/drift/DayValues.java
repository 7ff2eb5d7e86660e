package dev.pulse.operator.drift;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One side's values of a Metric for one day, by dimension values (in the order of the reconciled
 * dimensions; a missing value is null). A Metric compared without dimensions has one entry, under
 * the empty list.
 *
 * @param dimensions the Metric dimensions the values are keyed by
 * @param values value by dimension values
 */
public record DayValues(List<String> dimensions, Map<List<String>, Double> values) {
    public DayValues {
        dimensions = List.copyOf(dimensions);
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
