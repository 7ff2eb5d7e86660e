package dev.pulse.pipeline.replay;

/**
 * What a replay did.
 *
 * @param events well-formed events read (per plan: a file replayed for two plans counts twice)
 * @param malformed malformed lines, each reported on the error stream with its file and line
 * @param rows result rows written
 * @param analyses analyses computed
 */
public record ReplaySummary(long events, long malformed, long rows, int analyses) {

    /** The summary line printed at the end of a replay. */
    public String line() {
        return "replayed " + events + " events (" + malformed + " malformed lines skipped): "
                + rows + " rows from " + analyses + " analyses";
    }
}
