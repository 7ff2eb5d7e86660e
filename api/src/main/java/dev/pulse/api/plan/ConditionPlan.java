package dev.pulse.api.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A where condition, checked against the schema.
 *
 * @param type the field's type (string, long, double, boolean); {@code values} parse as it
 * @param values one value for Eq/Ne/Gt/Gte/Lt/Lte, the list for In/NotIn, none otherwise
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ConditionPlan(String field, String type, String operator, List<String> values) {
}
