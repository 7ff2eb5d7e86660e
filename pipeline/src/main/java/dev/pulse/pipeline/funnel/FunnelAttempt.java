package dev.pulse.pipeline.funnel;

/**
 * A closed funnel attempt of one actor: its first event's time and breakdown values, the level it
 * reached, when it reached the last step (or -1), and its first event's input order (a replay's
 * file and line, {@link dev.pulse.pipeline.groups.InputOrder}; 0 when not known).
 */
public record FunnelAttempt(long start, String[] dimensions, int level, long convertedAt, long order) {
}
