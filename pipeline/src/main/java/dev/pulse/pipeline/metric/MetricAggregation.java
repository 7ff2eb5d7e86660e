package dev.pulse.pipeline.metric;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import com.datadoghq.sketch.ddsketch.store.Store;
import java.util.HashSet;

/**
 * The aggregation types of a Metric: how an {@link Observation} updates a
 * {@link MetricAccumulator} and what value the accumulator has.
 *
 * <p>Percentiles use a DDSketch with 1% relative accuracy: the reported value is within 1% of
 * the exact value at rank ⌊q·(n−1)⌋ of the window's n values (0-based, ascending). Memory is
 * bounded at {@value #SKETCH_BINS} bins per sign; beyond that range the lowest bins collapse, so
 * only values more than ~10^17 times smaller than the largest lose accuracy.
 */
public enum MetricAggregation {
    COUNT, COUNT_DISTINCT, SUM, AVG, MIN, MAX, RATIO, PERCENTILE;

    public static final double SKETCH_RELATIVE_ACCURACY = 0.01;
    public static final int SKETCH_BINS = 2048;

    public static MetricAggregation of(String name) {
        return switch (name) {
            case "count" -> COUNT;
            case "countDistinct" -> COUNT_DISTINCT;
            case "sum" -> SUM;
            case "avg" -> AVG;
            case "min" -> MIN;
            case "max" -> MAX;
            case "ratio" -> RATIO;
            case "percentile" -> PERCENTILE;
            default -> throw new IllegalArgumentException("unknown aggregation '" + name + "'");
        };
    }

    static Store sketchStore() {
        return new CollapsingLowestDenseStore(SKETCH_BINS);
    }

    /** Whether this aggregation reads a numeric field. */
    public boolean readsNumber() {
        return this == SUM || this == AVG || this == MIN || this == MAX || this == PERCENTILE;
    }

    void add(MetricAccumulator a, Observation o) {
        a.events++;
        switch (this) {
            case COUNT -> {
            }
            case COUNT_DISTINCT -> {
                if (o.text != null) {
                    if (a.distinct == null) {
                        a.distinct = new HashSet<>();
                    }
                    a.distinct.add(o.text);
                }
            }
            case RATIO -> {
                if (o.has(Observation.NUMERATOR)) {
                    a.numerator++;
                }
                if (o.has(Observation.DENOMINATOR)) {
                    a.denominator++;
                }
            }
            default -> {
                if (o.has(Observation.HAS_NUMBER)) {
                    double v = o.number;
                    a.values++;
                    a.sum += v;
                    a.min = Math.min(a.min, v);
                    a.max = Math.max(a.max, v);
                    if (this == PERCENTILE) {
                        if (a.sketch == null) {
                            a.sketch = DDSketches.collapsingLowestDense(SKETCH_RELATIVE_ACCURACY, SKETCH_BINS);
                        }
                        a.sketch.accept(v);
                    }
                }
            }
        }
    }

    /** The metric's value, or null when undefined (no values; a ratio with denominator 0). */
    Double value(MetricAccumulator a, double percentile) {
        return switch (this) {
            case COUNT -> (double) a.events;
            case COUNT_DISTINCT -> (double) (a.distinct == null ? 0 : a.distinct.size());
            case SUM -> a.values == 0 ? null : a.sum;
            case AVG -> a.values == 0 ? null : a.sum / a.values;
            case MIN -> a.values == 0 ? null : a.min;
            case MAX -> a.values == 0 ? null : a.max;
            case RATIO -> a.denominator == 0 ? null : (double) a.numerator / a.denominator;
            case PERCENTILE -> a.sketch == null || a.sketch.isEmpty() ? null : quantile(a.sketch, percentile);
        };
    }

    private static double quantile(DDSketch sketch, double percentile) {
        return sketch.getValueAtQuantile(percentile / 100.0);
    }
}
