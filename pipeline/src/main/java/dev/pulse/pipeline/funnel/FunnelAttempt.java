package dev.pulse.pipeline.funnel;

/**
 * A closed funnel attempt of one actor: its first event's time and breakdown values, the level it
 * reached, and when it reached the last step (or -1).
 */
public record FunnelAttempt(long start, String[] dimensions, int level, long convertedAt) {
}
