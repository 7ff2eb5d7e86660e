package dev.pulse.pipeline.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RetentionTrackerTest {
    /** Cohort size and retained counts of members, as a cohort row counts them. */
    private static final class RetentionTally {
        private long cohortSize;
        private final long[] retained;

        RetentionTally(int periods) {
            retained = new long[periods];
        }

        void add(RetentionMember m) {
            cohortSize++;
            for (int k = 1; k <= retained.length; k++) {
                if (m.retainedIn(k)) {
                    retained[k - 1]++;
                }
            }
        }

        long cohortSize() {
            return cohortSize;
        }

        long[] retained() {
            return retained;
        }
    }

    private static final long H = 3_600_000L;
    private static final long DAY = 24 * H;

    /** The worked example of docs/semantics.md. */
    @Test
    void workedExample() {
        RetentionTracker t = new RetentionTracker(DAY, 3, true);
        RetentionMember u1 = new RetentionMember();
        RetentionMember u2 = new RetentionMember();
        t.onEvent(u1, (long) (0.5 * DAY), true, false, new String[0]);
        t.onEvent(u2, (long) (0.9 * DAY), true, false, new String[0]);
        t.onEvent(u1, (long) (1.6 * DAY), false, true, null);
        t.onEvent(u2, (long) (1.95 * DAY), false, true, null);
        t.onEvent(u1, (long) (3.4 * DAY), false, true, null);
        RetentionTally tally = new RetentionTally(3);
        tally.add(u1);
        tally.add(u2);
        assertThat(tally.cohortSize()).isEqualTo(2);
        assertThat(tally.retained()).containsExactly(2, 1, 0);
        long last = (long) (3.4 * DAY);
        assertThat(t.isComplete(0, 1, last)).isTrue();
        assertThat(t.isComplete(0, 2, last)).isFalse();
        assertThat(t.cohortStart((long) (0.9 * DAY))).isZero();
    }

    @Test
    void unboundedRetainsEveryPeriodUpToTheReturn() {
        RetentionTracker t = new RetentionTracker(DAY, 5, false);
        RetentionMember m = new RetentionMember();
        t.onEvent(m, 10 * H, true, false, new String[0]);
        t.onEvent(m, 10 * H + 3 * DAY + 1, false, true, null);
        assertThat(List.of(m.retainedIn(1), m.retainedIn(2), m.retainedIn(3), m.retainedIn(4), m.retainedIn(5)))
                .containsExactly(true, true, true, false, false);
        assertThat(t.isComplete(0, 4, 5 * DAY)).isTrue();
        assertThat(t.isComplete(0, 5, 5 * DAY)).isFalse();
    }

    @Test
    void onlyTheFirstCohortEventCountsAndEarlierReturnsDoNot() {
        RetentionTracker t = new RetentionTracker(DAY, 3, true);
        RetentionMember m = new RetentionMember();
        assertThat(t.onEvent(m, 0, false, true, null)).isFalse();
        assertThat(t.onEvent(m, 2 * H, true, true, new String[] {"ios"})).isTrue();
        assertThat(t.onEvent(m, 5 * DAY, true, false, new String[] {"web"})).isFalse();
        assertThat(m.cohortTime()).isEqualTo(2 * H);
        assertThat(m.dimensions()).containsExactly("ios");
        assertThat(m.retainedIn(1)).isFalse();
    }

    @Test
    void anEventOfAMemberCouldChangeItExactlyWhenTakingItChangesItsRetainedPeriods() {
        Random random = new Random(11);
        int changing = 0;
        int unchanged = 0;
        for (int round = 0; round < 200; round++) {
            boolean bounded = random.nextBoolean();
            int periods = 1 + random.nextInt(6);
            long period = (1 + random.nextInt(3)) * H;
            RetentionTracker t = new RetentionTracker(period, periods, bounded);
            RetentionMember m = new RetentionMember();
            t.onEvent(m, random.nextInt(60) * 60_000L, true, false, new String[0]);
            long time = m.cohortTime();
            for (int i = 0; i < 30; i++) {
                time += random.nextInt(4 * 60) * 60_000L;
                boolean ret = random.nextInt(3) != 0;
                boolean could = t.couldChange(m, time, ret);
                long[] before = m.retained.clone();
                t.onEvent(m, time, random.nextBoolean(), ret, new String[0]);
                assertThat(!java.util.Arrays.equals(before, m.retained)).as("round %d, event %d", round, i).isEqualTo(could);
                if (could) {
                    changing++;
                } else {
                    unchanged++;
                }
            }
        }
        assertThat(changing).isPositive();
        assertThat(unchanged).isPositive();
    }

    @Test
    void randomizedAgainstABruteForceCount() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            boolean bounded = random.nextBoolean();
            int periods = 1 + random.nextInt(6);
            long period = (1 + random.nextInt(3)) * H;
            RetentionTracker t = new RetentionTracker(period, periods, bounded);
            Map<Integer, List<long[]>> byActor = new HashMap<>();
            for (int i = 0; i < 400; i++) {
                int actor = random.nextInt(40);
                long time = random.nextInt(30 * 60) * 60_000L;
                int kind = random.nextInt(3); // 0 cohort, 1 return, 2 both
                byActor.computeIfAbsent(actor, a -> new ArrayList<>()).add(new long[] {time, kind});
            }
            long last = byActor.values().stream().flatMap(List::stream).mapToLong(e -> e[0]).max().orElse(0);
            // actual: tracker per actor, then tallies per cohort start
            Map<Long, RetentionTally> actual = new TreeMap<>();
            for (List<long[]> events : byActor.values()) {
                events.sort(Comparator.comparingLong(e -> e[0]));
                RetentionMember m = new RetentionMember();
                for (long[] e : events) {
                    t.onEvent(m, e[0], e[1] != 1, e[1] != 0, new String[0]);
                }
                if (m.isMember()) {
                    actual.computeIfAbsent(t.cohortStart(m.cohortTime()), k -> new RetentionTally(periods)).add(m);
                }
            }
            // brute force: per actor, t0 = min cohort time; for each period scan the returns
            Map<Long, long[]> expected = new TreeMap<>();
            for (List<long[]> events : byActor.values()) {
                long t0 = events.stream().filter(e -> e[1] != 1).mapToLong(e -> e[0]).min().orElse(-1);
                if (t0 < 0) {
                    continue;
                }
                long start = Math.floorDiv(t0, period) * period;
                long[] row = expected.computeIfAbsent(start, k -> new long[periods + 1]);
                row[0]++;
                for (int k = 1; k <= periods; k++) {
                    long lo = t0 + k * period;
                    long hi = bounded ? lo + period : Long.MAX_VALUE;
                    boolean hit = events.stream().anyMatch(e -> e[1] != 0 && e[0] >= lo && e[0] < hi);
                    if (hit) {
                        row[k]++;
                    }
                }
            }
            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            for (Map.Entry<Long, long[]> e : expected.entrySet()) {
                RetentionTally tally = actual.get(e.getKey());
                assertThat(tally.cohortSize()).isEqualTo(e.getValue()[0]);
                for (int k = 1; k <= periods; k++) {
                    assertThat(tally.retained()[k - 1]).as("round %d cohort %d period %d", round, e.getKey(), k).isEqualTo(e.getValue()[k]);
                    boolean complete = e.getKey() + (bounded ? k + 2 : k + 1) * period <= last;
                    assertThat(t.isComplete(e.getKey(), k, last)).isEqualTo(complete);
                }
            }
        }
    }
}
