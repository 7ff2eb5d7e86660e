package dev.pulse.operator.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DriftScheduleTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Duration DELAY = Duration.ofHours(2);

    @Test
    void aDayIsDueTheDelayAfterItClosesInItsTimeZone() {
        assertThat(DriftSchedule.latestClosed(Instant.parse("2026-03-02T01:59:59Z"), UTC, DELAY)).isEqualTo("2026-02-28");
        assertThat(DriftSchedule.latestClosed(Instant.parse("2026-03-02T02:00:00Z"), UTC, DELAY)).isEqualTo("2026-03-01");
        // Berlin is UTC+1 in March: 2 March starts at 23:00 UTC on 1 March
        assertThat(DriftSchedule.latestClosed(Instant.parse("2026-03-02T01:00:00Z"), BERLIN, DELAY)).isEqualTo("2026-03-01");
    }

    @Test
    void daysAreComparedInOrderAndCatchUpIsBounded() {
        Instant now = Instant.parse("2026-03-10T12:00:00Z");
        assertThat(DriftSchedule.due(null, now, UTC, DELAY)).isEqualTo("2026-03-09");
        assertThat(DriftSchedule.due(LocalDate.parse("2026-03-07"), now, UTC, DELAY)).isEqualTo("2026-03-08");
        assertThat(DriftSchedule.due(LocalDate.parse("2026-03-09"), now, UTC, DELAY)).isNull();
        assertThat(DriftSchedule.due(LocalDate.parse("2026-01-01"), now, UTC, DELAY)).isEqualTo("2026-03-03");
        assertThat(DriftSchedule.untilNext(LocalDate.parse("2026-03-09"), now, UTC, DELAY)).isEqualTo(Duration.ofHours(14));
    }

    @Test
    void aDstDayIsTwentyThreeHoursLong() {
        LocalDate springForward = LocalDate.parse("2026-03-29");
        assertThat(Duration.between(DriftSchedule.start(springForward, BERLIN), DriftSchedule.end(springForward, BERLIN))).isEqualTo(Duration.ofHours(23));
        // 1 h rollups tile it; a 1 d window does not
        long dayMs = Duration.ofHours(23).toMillis();
        assertThat(StreamingDayTotals.fits(3_600_000, DriftSchedule.start(springForward, BERLIN), dayMs)).isTrue();
        assertThat(StreamingDayTotals.fits(86_400_000, DriftSchedule.start(springForward, BERLIN), dayMs)).isFalse();
    }
}
