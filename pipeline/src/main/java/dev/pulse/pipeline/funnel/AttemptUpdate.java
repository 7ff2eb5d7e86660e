package dev.pulse.pipeline.funnel;

/**
 * The level of one attempt (an actor's attempt starting at {@code start}), sent to its row each
 * time it changes; {@code closed} once it can change no more.
 */
public class AttemptUpdate {
    public String actor;
    public long start;
    public String[] dimensions;
    public int level;
    /** Milliseconds from the first event to the last step, or -1 when not converted. */
    public long conversionMs;
    public boolean closed;
    /** The row key (reporting window start and breakdown values), set by the sender. */
    public String row;
    /** The input order of the attempt's first event: which of a window's breakdowns came first in a replay. */
    public long order;

    public AttemptUpdate() {
    }
}
