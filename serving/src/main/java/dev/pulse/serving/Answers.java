package dev.pulse.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The JSON answers of the query API, shaped like the replay rows of the same kinds. */
public final class Answers {
    private Answers() {
    }

    /** An answer that may have more pages: {@code next} is the cursor of the next one, null on the last. */
    public interface Paged {
        String next();
    }

    /**
     * A metric's points. A breakdown (grouped by some dimension) holds the points of its top series
     * by their aggregate over the whole range, best first, each series' points in time order; for
     * count and sum, {@code other} sums the series after this page's per bucket (empty when none).
     */
    public record Points(List<Point> points, @JsonInclude(JsonInclude.Include.NON_NULL) List<Point> other,
            @JsonInclude(JsonInclude.Include.NON_NULL) String next) implements Paged {
    }

    /**
     * One point: a window (or a grain's bucket), the grouped dimension values (null when missing),
     * the value (null when undefined), a ratio's two counts, and whether it is final.
     */
    public record Point(String windowStart, String windowEnd, Map<String, String> dimensions, Double value,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long numerator,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long denominator,
            @JsonProperty("final") boolean isFinal) {
    }

    /** Funnel rows. */
    public record FunnelRows(List<FunnelRow> rows, @JsonInclude(JsonInclude.Include.NON_NULL) String next) implements Paged {
    }

    /**
     * One reporting window and breakdown: every step in order, the median time to convert to the
     * last step (null when no attempt completed, or when rows were combined), finality.
     */
    public record FunnelRow(String windowStart, String windowEnd, Map<String, String> dimensions, List<Step> steps,
            Double medianConversionMs, @JsonProperty("final") boolean isFinal) {
    }

    /** A step's count, its conversion from step 1 and from the previous step (null when that count is 0). */
    public record Step(String name, long count, Double conversionFromFirst, Double conversionFromPrevious) {
    }

    /** Retention cohorts. */
    public record Cohorts(List<Cohort> cohorts, @JsonInclude(JsonInclude.Include.NON_NULL) String next) implements Paged {
    }

    /** One cohort: {@code retained[k-1]} is period k, null while that period is incomplete. */
    public record Cohort(String cohortStart, Map<String, String> dimensions, long cohortSize, List<Long> retained,
            @JsonProperty("final") boolean isFinal) {
    }

    /** Anomalies of a metric. */
    public record Anomalies(List<Anomaly> anomalies, @JsonInclude(JsonInclude.Include.NON_NULL) String next) implements Paged {
    }

    /** One anomalous point. */
    public record Anomaly(String windowStart, String windowEnd, Map<String, String> dimensions, Double observed,
            Double expected, Double lower, Double upper, Double score) {
    }
}
