package dev.pulse.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffsetTimelineTest {
    @Test
    void interpolatesTheMomentTheEndPassedTheCommittedOffset() {
        OffsetTimeline t = new OffsetTimeline();
        t.observe(0, 0);
        t.observe(1000, 30_000);
        t.observe(2000, 60_000);
        assertThat(t.lagMs(2000, 90_000)).isZero(); // at the end
        assertThat(t.lagMs(1500, 90_000)).isEqualTo(45_000); // passed at 45 s
        assertThat(t.lagMs(1000, 60_000)).isEqualTo(30_000);
    }

    @Test
    void aQuietTopicKeepsTheFirstMomentAnOffsetWasSeen() {
        OffsetTimeline t = new OffsetTimeline();
        t.observe(100, 0);
        t.observe(200, 10_000);
        t.observe(200, 20_000);
        t.observe(200, 30_000);
        assertThat(t.lagMs(150, 40_000)).isEqualTo(35_000);
    }

    @Test
    void olderThanTheHistoryExtrapolatesWithTheAverageRate() {
        OffsetTimeline t = new OffsetTimeline();
        t.observe(1000, 100_000);
        t.observe(2000, 110_000);
        // 10 records/ms... 1000 records per 10 s: offset 500 was passed 5 s before the first sample
        assertThat(t.lagMs(500, 120_000)).isEqualTo(25_000);
    }

    @Test
    void aRecreatedTopicStartsOver() {
        OffsetTimeline t = new OffsetTimeline();
        t.observe(5000, 0);
        t.observe(10, 1000);
        assertThat(t.lagMs(5, 2000)).isEqualTo(1000);
    }
}
