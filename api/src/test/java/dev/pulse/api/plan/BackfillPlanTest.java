package dev.pulse.api.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BackfillPlanTest {
    @Test
    void versionsPinnedTogetherShareOneHistoryReadAndALaterApplyNeverJoinsIt() {
        Map<Integer, Long> offsets = Map.of(0, 10L, 1, 20L);
        BackfillPlan first = BackfillPlan.EARLIEST.pin(1_000L, offsets);
        BackfillPlan together = new BackfillPlan(BackfillPlan.Mode.duration, null, 60_000L, null, null).pin(1_000L, offsets);
        // a quiet topic: the next apply pins the very same offsets, later
        BackfillPlan later = BackfillPlan.EARLIEST.pin(2_000L, offsets);
        assertThat(together.historyId()).isEqualTo(first.historyId());
        assertThat(later.historyId()).isNotEqualTo(first.historyId());
        assertThat(later.handOver()).isEqualTo(first.handOver());
    }
}
