package dev.pulse.api.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pulse.api.v1alpha1.common.Operator;
import dev.pulse.api.v1alpha1.eventstream.FieldType;
import java.util.List;

/**
 * A where condition, checked against the schema.
 *
 * @param type the field's type; {@code values} parse as it
 * @param values one value for Eq/Ne/Gt/Gte/Lt/Lte, the list for In/NotIn, none otherwise
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ConditionPlan(String field, FieldType type, Operator operator, List<String> values) {
    /** No values are left out of plan JSON: read back, they are empty again. */
    public ConditionPlan {
        values = values == null ? List.of() : values;
    }
}
