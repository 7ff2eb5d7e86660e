package dev.pulse.pipeline.metric;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import com.datadoghq.sketch.ddsketch.store.Store;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;

/**
 * The running aggregate of one window and one group: enough for every aggregation type, with
 * the distinct set and the sketch created only for the types that need them. How an
 * {@link Observation} updates it and what value it has depend on the aggregation type
 * ({@link #add}, {@link #value}). Kept as an object on the heap state backend and written by
 * {@link MetricAccumulatorSerializer} in checkpoints.
 *
 * <p>Percentiles use a DDSketch with 1% relative accuracy: the reported value is within 1% of
 * the exact value at rank ⌊q·(n−1)⌋ of the window's n values (0-based, ascending). Memory is
 * bounded at {@value #SKETCH_BINS} bins per sign; beyond that range the lowest bins collapse, so
 * only values more than ~10^17 times smaller than the largest lose accuracy.
 *
 * <p>A row carries the window's distinct values ({@link #sortedDistinct}) or its sketch's bins
 * ({@link #sketchBins}), so the serving store's rollups merge them into the distinct count or
 * the percentile of a whole coarser bucket.
 */
public final class MetricAccumulator implements Cloneable {
    private static final double SKETCH_RELATIVE_ACCURACY = 0.01;
    private static final int SKETCH_BINS = 2048;

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

    static Store sketchStore() {
        return new CollapsingLowestDenseStore(SKETCH_BINS);
    }

    /** Adds one observation, as the aggregation type counts it. */
    void add(AggregationType type, Observation o) {
        events++;
        switch (type) {
            case count -> {
            }
            case countDistinct -> {
                if (o.text != null) {
                    if (distinct == null) {
                        distinct = new HashSet<>();
                    }
                    distinct.add(o.text);
                }
            }
            case ratio -> {
                if (o.has(Observation.NUMERATOR)) {
                    numerator++;
                }
                if (o.has(Observation.DENOMINATOR)) {
                    denominator++;
                }
            }
            default -> {
                if (o.has(Observation.HAS_NUMBER)) {
                    double v = o.number;
                    values++;
                    sum += v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    if (type == AggregationType.percentile) {
                        if (sketch == null) {
                            sketch = DDSketches.collapsingLowestDense(SKETCH_RELATIVE_ACCURACY, SKETCH_BINS);
                        }
                        sketch.accept(v);
                    }
                }
            }
        }
    }

    /** The metric's value, or null when undefined (no values; a ratio with denominator 0). */
    Double value(AggregationType type, double percentile) {
        return switch (type) {
            case count -> (double) events;
            case countDistinct -> (double) (distinct == null ? 0 : distinct.size());
            case sum -> values == 0 ? null : sum;
            case avg -> values == 0 ? null : sum / values;
            case min -> values == 0 ? null : min;
            case max -> values == 0 ? null : max;
            case ratio -> denominator == 0 ? null : (double) numerator / denominator;
            case percentile -> sketch == null || sketch.isEmpty() ? null : sketch.getValueAtQuantile(percentile / 100.0);
        };
    }

    /**
     * Writes the row's values: the value, a ratio's counts (an avg's number of values, so the
     * serving store combines averages exactly), and the merge state of countDistinct and
     * percentile (once per emitted row, not per event).
     */
    void writeTo(MetricRow r, AggregationType type, double percentile) {
        r.value = value(type, percentile);
        switch (type) {
            case ratio -> {
                r.numerator = numerator;
                r.denominator = denominator;
            }
            case avg -> r.denominator = values;
            case countDistinct -> r.distinctValues = sortedDistinct();
            case percentile -> sketchBins(r);
            default -> {
            }
        }
    }

    /** The distinct values, sorted (a replayed row carries the same array); empty when none. */
    private String[] sortedDistinct() {
        if (distinct == null) {
            return new String[0];
        }
        String[] out = distinct.toArray(new String[0]);
        Arrays.sort(out);
        return out;
    }

    /**
     * The sketch as bins into the row, in ascending order of the value the sketch answers for each
     * ({@code DDSketch.getValueAtQuantile} walks them in this order): negative bins (value
     * −mapping(index), indexes descending), the zero bin (0), positive bins (mapping(index),
     * indexes ascending). Empty when the window had no values.
     */
    private void sketchBins(MetricRow r) {
        if (sketch == null || sketch.isEmpty()) {
            r.sketchValues = new double[0];
            r.sketchCounts = new long[0];
            return;
        }
        IndexMapping mapping = sketch.getIndexMapping();
        Store negative = sketch.getNegativeValueStore();
        Store positive = sketch.getPositiveValueStore();
        long zero = Math.round(sketch.getCount() - negative.getTotalCount() - positive.getTotalCount());
        int n = binCount(negative) + (zero > 0 ? 1 : 0) + binCount(positive);
        double[] values = new double[n];
        long[] counts = new long[n];
        int i = 0;
        for (Iterator<Bin> it = negative.getDescendingIterator(); it.hasNext(); i++) {
            Bin b = it.next();
            values[i] = -mapping.value(b.getIndex());
            counts[i] = Math.round(b.getCount());
        }
        if (zero > 0) {
            values[i] = 0;
            counts[i++] = zero;
        }
        for (Iterator<Bin> it = positive.getAscendingIterator(); it.hasNext(); i++) {
            Bin b = it.next();
            values[i] = mapping.value(b.getIndex());
            counts[i] = Math.round(b.getCount());
        }
        r.sketchValues = values;
        r.sketchCounts = counts;
    }

    private static int binCount(Store store) {
        int n = 0;
        for (Iterator<Bin> it = store.getAscendingIterator(); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }

    /** A deep copy: every field, with its own distinct set and sketch. */
    MetricAccumulator copy() {
        MetricAccumulator c;
        try {
            // field by field, so a field added later cannot be left out
            c = (MetricAccumulator) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
        c.distinct = distinct == null ? null : new HashSet<>(distinct);
        c.sketch = sketch == null ? null : sketch.copy();
        return c;
    }
}
