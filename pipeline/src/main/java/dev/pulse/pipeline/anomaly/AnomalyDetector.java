package dev.pulse.pipeline.anomaly;

import dev.pulse.api.plan.AnomalyPlan;
import dev.pulse.api.v1alpha1.metric.AnomalySpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * Anomaly detection on a metric's series of final values (docs/semantics.md, "Anomalies"):
 * <ul>
 *   <li>{@code zscore}: expected = mean of the last {@value #BASELINE} points, band = mean ± k·sd;</li>
 *   <li>{@code ewma}: expected = exponentially weighted mean (α = {@value #ALPHA}), band = ± k·EW standard deviation;</li>
 *   <li>{@code seasonal}: expected = median of the same slot in up to {@value #SEASONS} past seasons
 *       (at least 3), band = median ± k·max(1.4826·MAD, 5% of the median).</li>
 * </ul>
 * A point may fire only once the series has {@code minHistory} of history before it.
 */
public final class AnomalyDetector implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public static final int BASELINE = 30;
    public static final double ALPHA = 0.1;
    public static final int SEASONS = 8;
    private static final double MAD_SCALE = 1.4826;
    private static final double MIN_SPREAD = 1e-9;
    /** Seasonal spread floor, relative to the expected value: a few near-equal past seasons must not make every wobble an anomaly. */
    public static final double SEASONAL_MIN_RELATIVE_SPREAD = 0.05;

    private final AnomalySpec.Algorithm algorithm;
    private final long seasonMs;
    private final double k;
    private final AnomalySpec.Direction direction;
    private final long minHistoryMs;

    public AnomalyDetector(AnomalyPlan plan) {
        this.algorithm = plan.algorithm();
        this.seasonMs = switch (plan.seasonality()) {
            case hourly -> 3_600_000L;
            case daily -> 86_400_000L;
            case weekly -> 7 * 86_400_000L;
            case none -> 0L;
        };
        this.k = plan.deviations();
        this.direction = plan.direction();
        this.minHistoryMs = plan.minHistoryMs();
    }

    /**
     * Checks the next final point of a series against its history, then adds it to the history.
     * Points must come in window order; a repeated or older window is ignored.
     */
    public Optional<Anomaly> observe(SeriesHistory h, long windowStart, double value) {
        if (h.size > 0 && windowStart <= h.starts[h.size - 1]) {
            return Optional.empty();
        }
        Optional<Anomaly> result = Optional.empty();
        boolean enoughHistory = h.size > 0 && windowStart - h.firstWindowStart >= minHistoryMs;
        double[] band = enoughHistory ? band(h, windowStart) : null;
        if (band != null) {
            double expected = band[0];
            double spread = Math.max(band[1], MIN_SPREAD);
            double lower = expected - k * spread;
            double upper = expected + k * spread;
            boolean above = value > upper;
            boolean below = value < lower;
            boolean fires = switch (direction) {
                case above -> above;
                case below -> below;
                case both -> above || below;
            };
            if (fires) {
                result = Optional.of(new Anomaly(windowStart, value, expected, lower, upper, (value - expected) / spread));
            }
        }
        updateEwma(h, value);
        h.append(windowStart, value);
        return result;
    }

    /** {expected, spread}, or null when the history cannot give a baseline yet. */
    private double[] band(SeriesHistory h, long windowStart) {
        switch (algorithm) {
            case zscore -> {
                int n = Math.min(BASELINE, h.size);
                if (n < 2) {
                    return null;
                }
                double sum = 0;
                for (int i = h.size - n; i < h.size; i++) {
                    sum += h.values[i];
                }
                double mean = sum / n;
                double sq = 0;
                for (int i = h.size - n; i < h.size; i++) {
                    sq += (h.values[i] - mean) * (h.values[i] - mean);
                }
                return new double[] {mean, Math.sqrt(sq / n)};
            }
            case ewma -> {
                return h.size < 2 ? null : new double[] {h.ewmaMean, Math.sqrt(h.ewmaVariance)};
            }
            default -> {
                double[] past = new double[SEASONS];
                int n = 0;
                for (int s = 1; s <= SEASONS && seasonMs > 0; s++) {
                    double v = h.valueAt(windowStart - s * seasonMs);
                    if (!Double.isNaN(v)) {
                        past[n++] = v;
                    }
                }
                if (n < 3) {
                    return null;
                }
                double median = median(Arrays.copyOf(past, n));
                double[] deviations = new double[n];
                for (int i = 0; i < n; i++) {
                    deviations[i] = Math.abs(past[i] - median);
                }
                return new double[] {median, Math.max(MAD_SCALE * median(deviations), SEASONAL_MIN_RELATIVE_SPREAD * Math.abs(median))};
            }
        }
    }

    private static void updateEwma(SeriesHistory h, double value) {
        if (Double.isNaN(h.ewmaMean)) {
            h.ewmaMean = value;
            h.ewmaVariance = 0;
            return;
        }
        double diff = value - h.ewmaMean;
        double increment = ALPHA * diff;
        h.ewmaMean += increment;
        h.ewmaVariance = (1 - ALPHA) * (h.ewmaVariance + diff * increment);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
