package dev.pulse.api.v1alpha1.metric;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.api.v1alpha1.common.Filter;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;
import lombok.NoArgsConstructor;

/** How a Metric aggregates the events that pass its filter. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type != 'ratio' || (has(self.numerator) && has(self.denominator) && !has(self.field))",
        message = "a ratio needs 'numerator' and 'denominator' and takes no 'field'")
@ValidationRule(value = "self.type == 'ratio' || (!has(self.numerator) && !has(self.denominator))",
        message = "'numerator' and 'denominator' are only for a ratio")
@ValidationRule(value = "!(self.type in ['sum', 'avg', 'min', 'max', 'percentile']) || has(self.field)",
        message = "sum, avg, min, max and percentile need a numeric 'field'", fieldPath = ".field")
@ValidationRule(value = "self.type != 'count' || !has(self.field)",
        message = "count takes no 'field' (use countDistinct to count distinct values of a field)", fieldPath = ".field")
@ValidationRule(value = "self.type != 'percentile' || (has(self.percentile) && self.percentile > 0.0 && self.percentile < 100.0)",
        message = "a percentile needs 'percentile' strictly between 0 and 100", fieldPath = ".percentile")
@ValidationRule(value = "self.type == 'percentile' || !has(self.percentile)",
        message = "'percentile' is only for the percentile aggregation", fieldPath = ".percentile")
public class Aggregation {
    @Required
    @JsonPropertyDescription("count | countDistinct | sum | avg | min | max | ratio | percentile.")
    private AggregationType type = AggregationType.count;

    @io.fabric8.generator.annotation.Pattern(dev.pulse.api.v1alpha1.eventstream.FieldSpec.NAME_PATTERN)
    @JsonPropertyDescription("The field aggregated: numeric for sum, avg, min, max, percentile; any for countDistinct (default: the stream's actor).")
    private String field;

    @JsonPropertyDescription("Percentile only: which percentile, strictly between 0 and 100 (e.g. 95).")
    private Double percentile;

    @JsonPropertyDescription("Ratio only: the events counted above the line (combined with the metric's own filter).")
    private Filter numerator;

    @JsonPropertyDescription("Ratio only: the events counted below the line (combined with the metric's own filter).")
    private Filter denominator;
}
