package dev.pulse.pipeline.funnel;

/** The open attempt of one actor, if any: the only per-actor state a funnel keeps. A Flink POJO (public fields). */
public class FunnelProgress {
    public FunnelProgress() {
    }

    public long start = -1;
    public int level;
    public int matchedSteps;
    public long convertedAt = -1;
    public String[] dimensions;
    /** The input order of the open attempt's first event ({@link dev.pulse.pipeline.groups.InputOrder}). */
    public long order;

    public boolean isOpen() {
        return start >= 0;
    }

    /** When the open attempt's conversion window ends (exclusive); Long.MAX_VALUE when none is open. */
    public long deadline(long conversionWindowMs) {
        return isOpen() ? start + conversionWindowMs : Long.MAX_VALUE;
    }

    public long start() {
        return start;
    }

    public int level() {
        return level;
    }

    public String[] dimensions() {
        return dimensions;
    }
}
