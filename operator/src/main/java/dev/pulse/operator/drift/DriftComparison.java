package dev.pulse.operator.drift;

import dev.pulse.api.v1alpha1.metric.AggregationType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The streaming day values of a Metric against the batch ones, overall and per dimension values;
 * pure. Relative error is {@code |streaming - batch| / |batch|}; a value is within tolerance when
 * its relative error is at most the relative tolerance or its absolute difference at most the
 * absolute one. The day is clean when the overall value and every dimension value are within
 * tolerance. Dimension values present on one side only count as 0 on the other (a streaming row
 * exists only where events passed the filter; a batch job may leave out zero rows).
 *
 * <p>Overall: count, sum and countDistinct add their dimension values (for countDistinct with
 * dimensions that is the sum of per-dimension distinct counts, on both sides alike); min and max
 * take the min or max; avg, ratio and percentile have no overall figure beyond a single
 * (dimensionless) row, so their overall error is that of the worst dimension values.
 *
 * @param streaming overall streaming value, or null when it has none
 * @param batch overall batch value, or null when it has none
 * @param relativeError the overall relative error (the worst dimension's when there is no overall figure)
 * @param clean whether every compared value is within tolerance
 * @param worst the worst dimension values, at most five, worst first, each with its figures
 */
public record DriftComparison(Double streaming, Double batch, Double relativeError, boolean clean, List<String> worst) {
    static final int WORST = 5;

    /** Tolerance: either bound suffices; null bounds are not applied (relative defaults to 0.005 upstream). */
    public record Tolerance(Double relative, Double absolute) {
        boolean within(double streaming, double batch) {
            double diff = Math.abs(streaming - batch);
            if (absolute != null && diff <= absolute) {
                return true;
            }
            return relative != null && error(streaming, batch) <= relative;
        }
    }

    private record Row(List<String> key, double streaming, double batch, boolean inBatch, boolean inStreaming, double error) {
    }

    public static DriftComparison compare(AggregationType aggregation, DayValues streaming, DayValues batch, Tolerance tolerance) {
        Set<List<String>> keys = new LinkedHashSet<>(batch.values().keySet());
        keys.addAll(streaming.values().keySet());
        List<Row> rows = new ArrayList<>();
        boolean clean = true;
        for (List<String> k : keys) {
            Double s = streaming.values().get(k);
            Double b = batch.values().get(k);
            double sv = s == null ? 0 : s;
            double bv = b == null ? 0 : b;
            rows.add(new Row(k, sv, bv, b != null, s != null, error(sv, bv)));
            clean &= tolerance.within(sv, bv);
        }
        Double overallS;
        Double overallB;
        switch (aggregation) {
            case count, sum, countDistinct -> {
                overallS = rows.stream().mapToDouble(Row::streaming).sum();
                overallB = rows.stream().mapToDouble(Row::batch).sum();
            }
            case min -> {
                overallS = rows.stream().filter(Row::inStreaming).mapToDouble(Row::streaming).min().stream().boxed().findFirst().orElse(null);
                overallB = rows.stream().filter(Row::inBatch).mapToDouble(Row::batch).min().stream().boxed().findFirst().orElse(null);
            }
            case max -> {
                overallS = rows.stream().filter(Row::inStreaming).mapToDouble(Row::streaming).max().stream().boxed().findFirst().orElse(null);
                overallB = rows.stream().filter(Row::inBatch).mapToDouble(Row::batch).max().stream().boxed().findFirst().orElse(null);
            }
            default -> {
                boolean single = rows.size() == 1 && rows.get(0).key().isEmpty();
                overallS = single ? rows.get(0).streaming() : null;
                overallB = single ? rows.get(0).batch() : null;
            }
        }
        rows.sort(Comparator.comparingDouble(Row::error).reversed());
        Double overallError;
        if (overallS != null && overallB != null) {
            overallError = finite(error(overallS, overallB));
            clean &= tolerance.within(overallS, overallB);
        } else {
            overallError = rows.isEmpty() ? null : finite(rows.get(0).error());
        }
        List<String> worst = new ArrayList<>();
        if (!streaming.dimensions().isEmpty()) {
            for (Row r : rows) {
                if (worst.size() == WORST || r.error() == 0) {
                    break;
                }
                worst.add(describe(streaming.dimensions(), r));
            }
        }
        return new DriftComparison(overallS, overallB, overallError, clean, List.copyOf(worst));
    }

    static double error(double streaming, double batch) {
        double diff = Math.abs(streaming - batch);
        if (diff == 0) {
            return 0;
        }
        return batch == 0 ? Double.POSITIVE_INFINITY : diff / Math.abs(batch);
    }

    /** An infinite error (batch 0, streaming not) is reported as 1.0e9 (status and Prometheus carry no infinity). */
    private static double finite(double e) {
        return Double.isInfinite(e) ? 1.0e9 : e;
    }

    private static String describe(List<String> dimensions, Row r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dimensions.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(dimensions.get(i)).append('=').append(r.key().get(i) == null ? "null" : r.key().get(i));
        }
        sb.append(": streaming ").append(number(r.streaming()));
        if (!r.inBatch()) {
            sb.append(", no batch row");
        } else {
            sb.append(", batch ").append(number(r.batch()));
            if (r.batch() != 0) {
                sb.append(String.format(Locale.ROOT, " (%+.2f%%)", 100 * (r.streaming() - r.batch()) / Math.abs(r.batch())));
            }
        }
        return sb.toString();
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
