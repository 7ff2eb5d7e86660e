package dev.pulse.pipeline.metric;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.util.HashSet;

/**
 * The running aggregate of one window and one group: enough for every aggregation type, with
 * the distinct set and the sketch created only for the types that need them. Kept as an object
 * on the heap state backend and written by {@link MetricAccumulatorSerializer} in checkpoints.
 */
public final class MetricAccumulator {
    /** Events that passed the filter (for a ratio: either side); a row exists when > 0. */
    long events;
    /** Events with a value of the aggregated field. */
    long values;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    long numerator;
    long denominator;
    HashSet<String> distinct;
    DDSketch sketch;
    /** Changed since its last provisional emission. */
    boolean dirty;

    MetricAccumulator copy() {
        MetricAccumulator c = new MetricAccumulator();
        c.events = events;
        c.values = values;
        c.sum = sum;
        c.min = min;
        c.max = max;
        c.numerator = numerator;
        c.denominator = denominator;
        c.distinct = distinct == null ? null : new HashSet<>(distinct);
        c.sketch = sketch == null ? null : sketch.copy();
        c.dirty = dirty;
        return c;
    }
}
