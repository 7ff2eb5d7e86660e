package dev.pulse.operator.eventstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.v1alpha1.eventstream.InputStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MalformedRecordsNoticeTest {
    private Instant now = Instant.parse("2026-01-01T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private static InputStatus input(String since, long notJson) {
        InputStatus s = new InputStatus();
        s.setSince(since);
        s.setDeadLetterTopic("shop-events.dlq");
        s.setMalformed(notJson == 0 ? new TreeMap<>() : new TreeMap<>(Map.of("not-json", notJson)));
        s.setMalformedTotal(notJson);
        return s;
    }

    @Test
    void onceWhenMalformedRecordsStartThenAtMostHourly() {
        MalformedRecordsNotice notice = new MalformedRecordsNotice(clock);
        String run = "2026-01-01T09:00:00Z";
        assertThat(notice.due("ns/s", null, input(run, 0))).isNull();
        String first = notice.due("ns/s", input(run, 0), input(run, 2));
        assertThat(first).startsWith("2 malformed records since the pipeline started at " + run).contains("not-json: 2")
                .contains("shop-events.dlq");

        now = now.plus(Duration.ofMinutes(10));
        assertThat(notice.due("ns/s", input(run, 2), input(run, 50))).as("more within the hour").isNull();
        assertThat(notice.due("ns/s", input(run, 50), input(run, 50))).as("no new ones").isNull();
        now = now.plus(Duration.ofMinutes(51));
        assertThat(notice.due("ns/s", input(run, 50), input(run, 70))).as("more after an hour").contains("70 malformed");

        // a restarted pipeline counts afresh: its first malformed records are news at once
        String rerun = "2026-01-01T11:05:00Z";
        now = now.plus(Duration.ofMinutes(5));
        assertThat(notice.due("ns/s", input(run, 70), input(rerun, 1))).contains("1 malformed");
        assertThat(notice.due("ns/other", null, input(rerun, 1))).as("per stream").isNotNull();
    }
}
