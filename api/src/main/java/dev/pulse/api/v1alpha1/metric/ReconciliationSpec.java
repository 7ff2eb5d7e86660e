package dev.pulse.api.v1alpha1.metric;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Daily comparison of a Metric with the batch table it replaces. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReconciliationSpec {
    /** SQL identifiers accepted from a resource; they are always quoted too. */
    public static final String IDENTIFIER = "^[A-Za-z_][A-Za-z0-9_]{0,62}$";

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    @JsonPropertyDescription("Name of a batch source configured by the platform team in the operator (read-only).")
    private String source;

    @Required
    @Pattern("^([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,62}$")
    @JsonPropertyDescription("Table (optionally schema.table) holding the daily batch values.")
    private String table;

    @Required
    @Pattern(IDENTIFIER)
    @JsonPropertyDescription("Column holding the day (a date).")
    private String dayColumn;

    @Required
    @Pattern(IDENTIFIER)
    @JsonPropertyDescription("Column holding the day's value.")
    private String valueColumn;

    @JsonPropertyDescription("Metric dimension -> batch column holding its value.")
    private Map<String, String> dimensionColumns;

    @JsonPropertyDescription("How much drift is still clean.")
    private Tolerance tolerance;

    @Min(1)
    @Max(365)
    @JsonPropertyDescription("Consecutive clean days before the Metric becomes Authoritative. Default 7.")
    private Integer promoteAfterDays;

    @JsonPropertyDescription("IANA time zone in which days close (default UTC).")
    @Pattern("^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$")
    private String timeZone;

    /** Allowed drift. */
    @Data
    @NoArgsConstructor
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Tolerance {
        @Min(0)
        @JsonPropertyDescription("Largest clean |streaming - batch| / |batch|, e.g. 0.005. Default 0.005.")
        private Double relative;

        @Min(0)
        @JsonPropertyDescription("Largest clean |streaming - batch| (either bound suffices).")
        private Double absolute;
    }
}
