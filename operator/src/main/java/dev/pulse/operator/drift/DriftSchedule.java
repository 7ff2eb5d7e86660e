package dev.pulse.operator.drift;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Which day to compare next, and when; pure. Day D closes at the start of D+1 in the
 * reconciliation's time zone and is compared {@code delay} later. The first comparison is the
 * latest closed day; after that days are compared in order, catching up at most
 * {@link #CATCH_UP_DAYS} days after an outage.
 */
public final class DriftSchedule {
    static final int CATCH_UP_DAYS = 7;

    private DriftSchedule() {
    }

    /** The latest day that may be compared at {@code now}. */
    public static LocalDate latestClosed(Instant now, ZoneId zone, Duration delay) {
        LocalDate candidate = now.atZone(zone).toLocalDate();
        while (now.isBefore(end(candidate, zone).plus(delay))) {
            candidate = candidate.minusDays(1);
        }
        return candidate;
    }

    /**
     * The day due for comparison, or null when none is.
     *
     * @param lastCompared the day in status.drift, or null
     */
    public static LocalDate due(LocalDate lastCompared, Instant now, ZoneId zone, Duration delay) {
        LocalDate latest = latestClosed(now, zone, delay);
        if (lastCompared == null) {
            return latest;
        }
        if (!lastCompared.isBefore(latest)) {
            return null;
        }
        LocalDate next = lastCompared.plusDays(1);
        LocalDate floor = latest.minusDays(CATCH_UP_DAYS - 1);
        return next.isBefore(floor) ? floor : next;
    }

    /** How long until the next day is due (at least one second). */
    public static Duration untilNext(LocalDate lastCompared, Instant now, ZoneId zone, Duration delay) {
        LocalDate next = lastCompared == null ? latestClosed(now, zone, delay).plusDays(1) : lastCompared.plusDays(1);
        Duration d = Duration.between(now, end(next, zone).plus(delay));
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }

    public static Instant start(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant();
    }

    public static Instant end(LocalDate day, ZoneId zone) {
        return day.plusDays(1).atStartOfDay(zone).toInstant();
    }
}
