package dev.pulse.pipeline.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.AnomalyPlan;
import dev.pulse.api.v1alpha1.metric.AnomalySpec.Algorithm;
import dev.pulse.api.v1alpha1.metric.AnomalySpec.Direction;
import dev.pulse.api.v1alpha1.metric.AnomalySpec.Seasonality;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    /** Hourly values with a daily rhythm and ±5% noise; a spike of ×3 at hour {@code spikeAt}. */
    private static List<Anomaly> run(Algorithm algorithm, int hours, int spikeAt, long minHistory) {
        AnomalyDetector d = new AnomalyDetector(new AnomalyPlan(algorithm, algorithm == Algorithm.seasonal ? Seasonality.daily : Seasonality.none, 4, Direction.both, minHistory));
        SeriesHistory h = new SeriesHistory();
        Random random = new Random(11);
        List<Anomaly> found = new ArrayList<>();
        for (int i = 0; i < hours; i++) {
            double base = algorithm == Algorithm.seasonal ? 1000 + 500 * Math.sin(2 * Math.PI * (i % 24) / 24) : 1000;
            double value = base * (1 + (random.nextDouble() - 0.5) * 0.1);
            if (i == spikeAt) {
                value *= 3;
            }
            d.observe(h, i * HOUR, value).ifPresent(found::add);
        }
        return found;
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aSpikeIsFlaggedAndNoiseIsNot(Algorithm algorithm) {
        List<Anomaly> found = run(algorithm, 24 * 6, 24 * 5 + 7, 3 * DAY);
        assertThat(found).singleElement().satisfies(a -> {
            assertThat(a.windowStart()).isEqualTo((24 * 5 + 7) * HOUR);
            assertThat(a.observed()).isGreaterThan(a.upper());
            assertThat(a.lower()).isLessThan(a.expected());
            assertThat(a.expected()).isLessThan(a.upper());
        });
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void nothingFiresBeforeMinHistory(Algorithm algorithm) {
        assertThat(run(algorithm, 24 * 6, 24 * 2, 3 * DAY)).isEmpty();
    }

    @Test
    void directionFiltersWhichSideFires() {
        AnomalyDetector below = new AnomalyDetector(new AnomalyPlan(Algorithm.zscore, Seasonality.none, 3, Direction.below, 0));
        AnomalyDetector above = new AnomalyDetector(new AnomalyPlan(Algorithm.zscore, Seasonality.none, 3, Direction.above, 0));
        SeriesHistory hb = new SeriesHistory();
        SeriesHistory ha = new SeriesHistory();
        for (int i = 0; i < 20; i++) {
            below.observe(hb, i * HOUR, 100 + (i % 2));
            above.observe(ha, i * HOUR, 100 + (i % 2));
        }
        Optional<Anomaly> drop = below.observe(hb, 20 * HOUR, 1);
        assertThat(drop).isPresent();
        assertThat(drop.get().score()).isNegative();
        assertThat(above.observe(ha, 20 * HOUR, 1)).isEmpty();
    }

    @Test
    void zscoreBandIsMeanPlusMinusKStandardDeviations() {
        AnomalyDetector d = new AnomalyDetector(new AnomalyPlan(Algorithm.zscore, Seasonality.none, 2, Direction.both, 0));
        SeriesHistory h = new SeriesHistory();
        d.observe(h, 0, 10);
        d.observe(h, HOUR, 20);
        // mean 15, population sd 5: band [5, 25]
        Anomaly a = d.observe(h, 2 * HOUR, 26).orElseThrow();
        assertThat(a.expected()).isEqualTo(15.0);
        assertThat(a.lower()).isEqualTo(5.0);
        assertThat(a.upper()).isEqualTo(25.0);
        assertThat(a.score()).isEqualTo(2.2, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void seasonalUsesTheMedianOfTheSameSlotAndTheScaledMad() {
        AnomalyDetector d = new AnomalyDetector(new AnomalyPlan(Algorithm.seasonal, Seasonality.daily, 3, Direction.both, 0));
        SeriesHistory h = new SeriesHistory();
        double[] sameSlot = {100, 110, 90, 105};
        for (int day = 0; day < sameSlot.length; day++) {
            d.observe(h, day * DAY, sameSlot[day]);
            d.observe(h, day * DAY + HOUR, 5000);
        }
        // median of {105, 90, 110, 100} = 102.5; deviations {2.5, 12.5, 7.5, 2.5} → MAD 5; 1.4826·5 > 5% of 102.5
        Anomaly a = d.observe(h, 4 * DAY, 200).orElseThrow();
        assertThat(a.expected()).isEqualTo(102.5);
        assertThat(a.upper()).isEqualTo(102.5 + 3 * 1.4826 * 5, org.assertj.core.data.Offset.offset(1e-9));
    }
}
