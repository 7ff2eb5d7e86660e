package dev.pulse.api.v1alpha1.common;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Pulse durations: a whole number followed by a unit, {@code s}, {@code m}, {@code h} or {@code d}
 * ({@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}). Days are exactly 24 hours (UTC, no DST).
 */
public final class Durations {
    /** The schema pattern every duration field carries. */
    public static final String PATTERN = "^[0-9]+(s|m|h|d)$";
    private static final java.util.regex.Pattern REGEX = java.util.regex.Pattern.compile(PATTERN);

    private Durations() {
    }

    /** Parses a duration, or returns empty when it does not match {@link #PATTERN} or overflows. */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = REGEX.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String digits = text.substring(0, text.length() - 1);
        if (digits.length() > 12) {
            return Optional.empty();
        }
        long n = Long.parseLong(digits);
        return Optional.of(switch (m.group(1)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }

    /** Formats milliseconds back into the largest exact unit ({@code 90s}, {@code 2h}). */
    public static String format(long millis) {
        long s = millis / 1000;
        if (s % 86400 == 0 && s != 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0 && s != 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s != 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
