package dev.pulse.pipeline.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.v1alpha1.funnel.FunnelSpec.Order;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hand-worked cases of docs/semantics.md, and randomized comparisons with a brute-force walk. */
class FunnelMatcherTest {
    private static final long MIN = 60_000;
    private static final String[] NO_DIMS = new String[0];

    /** One event of one actor: time in minutes and the step letters (A = step 1) or X for none, E for the exclusion. */
    private record Ev(long t, String what) {
        int steps() {
            int mask = 0;
            for (char c : what.toCharArray()) {
                if (c >= 'A' && c <= 'D') {
                    mask |= 1 << (c - 'A');
                }
            }
            return mask;
        }

        int exclusions() {
            return what.indexOf('E') >= 0 ? 1 : 0;
        }
    }

    private static List<Integer> levels(Order order, int[] exFrom, int[] exTo, Ev... events) {
        FunnelMatcher m = new FunnelMatcher(4, order, 60 * MIN, exFrom, exTo);
        FunnelProgress p = new FunnelProgress();
        List<Integer> out = new ArrayList<>();
        for (Ev e : events) {
            m.onEvent(p, e.t * MIN, e.steps(), e.exclusions(), NO_DIMS, a -> out.add(a.level()));
        }
        m.finish(p, a -> out.add(a.level()));
        return out;
    }

    private static List<Integer> levels(Order order, Ev... events) {
        return levels(order, new int[0], new int[0], events);
    }

    private static Ev e(long t, String what) {
        return new Ev(t, what);
    }

    @Test
    void orderedIsNotResetByAStepOneEventAndClosesAtTheWindowEnd() {
        assertThat(levels(Order.ordered, e(0, "A"), e(1, "B"), e(2, "A"), e(3, "C"), e(70, "D"))).containsExactly(3);
        assertThat(levels(Order.ordered, e(0, "A"), e(1, "B"), e(61, "A"), e(62, "B"))).containsExactly(2, 2);
        assertThat(levels(Order.ordered, e(0, "A"), e(1, "C"), e(2, "B"), e(3, "D"), e(4, "C"), e(5, "D"))).containsExactly(4);
        // the window is half-open: an event exactly at t1 + conversionWindow is outside
        assertThat(levels(Order.ordered, e(0, "A"), e(60, "B"))).containsExactly(1);
        assertThat(levels(Order.ordered, e(0, "A"), e(59, "B"))).containsExactly(2);
    }

    @Test
    void strictBreaksAtTheFirstEventThatIsNeitherNextNorRepeat() {
        // ClickHouse's example: A -> B -> D -> C reaches level 2 in strict order
        assertThat(levels(Order.strict, e(0, "A"), e(1, "B"), e(2, "D"), e(3, "C"))).containsExactly(2);
        assertThat(levels(Order.strict, e(0, "A"), e(1, "A"), e(2, "B"), e(3, "X"), e(4, "A"), e(5, "B"), e(6, "C"), e(7, "D")))
                .containsExactly(2, 4);
        // the breaking event opens the next attempt when it matches step 1
        assertThat(levels(Order.strict, e(0, "A"), e(1, "B"), e(2, "A"), e(3, "B"), e(4, "C"))).containsExactly(2, 3);
        // ordered allows the X in between
        assertThat(levels(Order.ordered, e(0, "A"), e(1, "X"), e(2, "B"))).containsExactly(2);
        assertThat(levels(Order.strict, e(0, "A"), e(1, "X"), e(2, "B"))).containsExactly(1);
    }

    @Test
    void unorderedCountsDistinctSteps() {
        assertThat(levels(Order.unordered, e(0, "C"), e(1, "A"), e(2, "D"))).containsExactly(3);
        assertThat(levels(Order.unordered, e(0, "C"), e(1, "C"), e(2, "C"))).containsExactly(1);
        // the event that completes an attempt closes it, and so may open the next one (any step, in unordered)
        assertThat(levels(Order.unordered, e(0, "D"), e(1, "C"), e(2, "B"), e(3, "A"))).containsExactly(4, 1);
        assertThat(levels(Order.ordered, e(0, "A"), e(1, "B"), e(2, "C"), e(3, "AD"))).containsExactly(4, 1);
    }

    @Test
    void exclusionsDisqualifyOnlyWithinTheirLevels() {
        int[] from = {2};
        int[] to = {3};
        assertThat(levels(Order.ordered, from, to, e(0, "A"), e(1, "B"), e(2, "E"), e(3, "C"))).isEmpty();
        // before step 2 or after step 3 the exclusion does nothing
        assertThat(levels(Order.ordered, from, to, e(0, "A"), e(1, "E"), e(2, "B"), e(3, "C"), e(4, "E"), e(5, "D"))).containsExactly(4);
        // an event that disqualifies may open the next attempt
        assertThat(levels(Order.ordered, from, to, e(0, "A"), e(1, "B"), e(2, "AE"), e(3, "B"))).containsExactly(2);
    }

    @Test
    void randomizedAgainstABruteForceWalk() {
        Random random = new Random(42);
        for (Order order : Order.values()) {
            for (int round = 0; round < 3000; round++) {
                int n = 2 + random.nextInt(3);
                int exclusions = random.nextInt(3);
                int[] from = new int[exclusions];
                int[] to = new int[exclusions];
                for (int j = 0; j < exclusions; j++) {
                    from[j] = 1 + random.nextInt(n - 1);
                    to[j] = from[j] + 1 + random.nextInt(n - from[j]);
                }
                long cw = (5 + random.nextInt(20)) * MIN;
                List<long[]> events = new ArrayList<>();
                int count = random.nextInt(25);
                for (int i = 0; i < count; i++) {
                    int steps = random.nextInt(4) == 0 ? 0 : (1 << random.nextInt(n)) | (random.nextInt(6) == 0 ? 1 << random.nextInt(n) : 0);
                    int excl = exclusions > 0 && random.nextInt(6) == 0 ? 1 << random.nextInt(exclusions) : 0;
                    events.add(new long[] {random.nextInt(60) * MIN, steps, excl});
                }
                FunnelMatcher m = new FunnelMatcher(n, order, cw, from, to);
                events.sort(Comparator.<long[]>comparingLong(ev -> ev[0]).thenComparingInt(ev -> m.rank((int) ev[1])));
                FunnelProgress p = new FunnelProgress();
                List<Integer> actual = new ArrayList<>();
                for (long[] ev : events) {
                    m.onEvent(p, ev[0], (int) ev[1], (int) ev[2], NO_DIMS, a -> actual.add(a.level()));
                }
                m.finish(p, a -> actual.add(a.level()));
                assertThat(actual).as("%s n=%d cw=%d excl=%s..%s events=%s", order, n, cw, Arrays.toString(from), Arrays.toString(to),
                        events.stream().map(Arrays::toString).toList()).isEqualTo(bruteForce(order, n, cw, from, to, events));
            }
        }
    }

    private static List<Integer> bruteForce(Order order, int n, long cw, int[] from, int[] to, List<long[]> events) {
        List<FunnelReference.Ev> evs = events.stream().map(e -> new FunnelReference.Ev(e[0], e[1], e[2], 0)).toList();
        return FunnelReference.attempts(order, n, cw, from, to, evs).stream()
                .filter(FunnelReference.Attempt::counted).map(FunnelReference.Attempt::level).toList();
    }
}
