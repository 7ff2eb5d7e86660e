package dev.pulse.pipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlushDeadlineTest {
    @Test
    void provisionalRowsWaitTheIntervalFromTheFirstRow() {
        FlushDeadline d = new FlushDeadline(1000, 100);
        assertThat(d.rowAdded(5_000, false)).isEqualTo(6_000);
        assertThat(d.rowAdded(5_400, false)).as("a later row keeps the first row's deadline").isEqualTo(-1);
        assertThat(d.reached(6_000)).isTrue();
    }

    @Test
    void aFinalRowBringsTheBatchForwardAndTheOlderTimerThenDoesNothing() {
        FlushDeadline d = new FlushDeadline(1000, 100);
        assertThat(d.rowAdded(5_000, false)).isEqualTo(6_000);
        assertThat(d.rowAdded(5_300, true)).isEqualTo(5_400);
        assertThat(d.rowAdded(5_320, true)).as("the rest of the window's burst shares the batch").isEqualTo(-1);
        assertThat(d.reached(5_400)).isTrue();
        d.flushed();
        // the next batch starts at 5,900 and is due at 6,900: the timer set for 6,000 must leave it alone
        assertThat(d.rowAdded(5_900, false)).isEqualTo(6_900);
        assertThat(d.reached(6_000)).isFalse();
        assertThat(d.reached(6_900)).isTrue();
    }

    @Test
    void theFinalDelayIsNeverLongerThanTheInterval() {
        FlushDeadline d = new FlushDeadline(50, 100);
        assertThat(d.rowAdded(1_000, true)).isEqualTo(1_050);
    }
}
