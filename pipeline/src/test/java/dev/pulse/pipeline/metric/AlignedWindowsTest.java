package dev.pulse.pipeline.metric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.WindowPlan;
import dev.pulse.api.v1alpha1.common.WindowType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AlignedWindowsTest {
    private static long[] ends(WindowPlan plan, long t) {
        AlignedWindows w = new AlignedWindows(plan);
        long[] out = new long[w.maxWindows()];
        int n = w.endsOf(t, out);
        long[] ends = Arrays.copyOf(out, n);
        Arrays.sort(ends);
        return ends;
    }

    @Test
    void tumblingIsHalfOpenAndAlignedToTheEpoch() {
        WindowPlan minute = new WindowPlan(WindowType.tumbling, 60_000, 0, 0);
        assertThat(ends(minute, 0)).containsExactly(60_000);
        assertThat(ends(minute, 59_999)).containsExactly(60_000);
        assertThat(ends(minute, 60_000)).containsExactly(120_000);
        assertThat(ends(minute, -1)).containsExactly(0);
        assertThat(new AlignedWindows(minute).startOf(120_000)).isEqualTo(60_000);
    }

    @Test
    void hoppingWindowsHoldingATime() {
        WindowPlan hop = new WindowPlan(WindowType.hopping, 3_000, 1_000, 0);
        assertThat(ends(hop, 2_500)).containsExactly(3_000, 4_000, 5_000);
        assertThat(ends(hop, 3_000)).containsExactly(4_000, 5_000, 6_000);
        assertThat(new AlignedWindows(hop).startOf(5_000)).isEqualTo(2_000);
    }

    @Test
    void cumulativeWindowsGrowByStepWithinTheirPeriod() {
        WindowPlan cumulative = new WindowPlan(WindowType.cumulative, 4_000, 0, 1_000);
        assertThat(ends(cumulative, 0)).containsExactly(1_000, 2_000, 3_000, 4_000);
        assertThat(ends(cumulative, 2_500)).containsExactly(3_000, 4_000);
        assertThat(ends(cumulative, 3_999)).containsExactly(4_000);
        assertThat(ends(cumulative, 4_000)).containsExactly(5_000, 6_000, 7_000, 8_000);
        AlignedWindows w = new AlignedWindows(cumulative);
        assertThat(w.startOf(4_000)).isEqualTo(0);
        assertThat(w.startOf(5_000)).isEqualTo(4_000);
    }

    @Test
    void dimensionKeysKeepNullsAndAnyCharacters() {
        String[] values = {"a:b", null, "", "~", "3:x"};
        assertThat(DimensionKey.decode(DimensionKey.encode(values), 5)).containsExactly(values);
        assertThat(DimensionKey.encode(new String[] {null})).isNotEqualTo(DimensionKey.encode(new String[] {"~"}));
    }
}
