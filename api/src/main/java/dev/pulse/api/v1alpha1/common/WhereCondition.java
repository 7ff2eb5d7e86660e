package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** One condition of a {@code where} list: a field, an operator and the value(s) it compares with. */
@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.operator in ['In', 'NotIn'] ? has(self.values) && size(self.values) > 0 && !has(self.value) : !has(self.values)",
        message = "In and NotIn take a non-empty 'values' list and no 'value'; the other operators take no 'values'")
@ValidationRule(value = "self.operator in ['Exists', 'DoesNotExist'] ? !has(self.value) : (self.operator in ['In', 'NotIn'] || has(self.value))",
        message = "Exists and DoesNotExist take no 'value'; Eq, Ne, Gt, Gte, Lt and Lte need a 'value'")
public class WhereCondition {
    @Required
    @JsonPropertyDescription("Name of a field of the stream's schema (or its event-type, actor or timestamp field).")
    private String field;

    @Required
    @JsonPropertyDescription("In, NotIn, Exists, DoesNotExist, Eq, Ne, Gt, Gte, Lt or Lte. On a missing or null field, In, Eq, Gt, Gte, Lt, Lte and Exists are false; NotIn, Ne and DoesNotExist are true.")
    private Operator operator;

    @JsonPropertyDescription("The value compared with, as a string parsed by the field's type (Eq, Ne, Gt, Gte, Lt, Lte).")
    private String value;

    @JsonPropertyDescription("The values compared with, as strings parsed by the field's type (In, NotIn).")
    private List<String> values;
}
