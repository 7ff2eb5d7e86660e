package dev.pulse.pipeline.groups;

/**
 * A replayed record's place in the replay's input: its file's index (in the order the files were
 * given) and its line number, as one long that sorts in that order (file in the high 23 bits,
 * line in the low 40). Used as the record timestamp before {@link GroupLimit} in a replay.
 */
public final class InputOrder {
    private static final int LINE_BITS = 40;

    private InputOrder() {
    }

    public static long of(int file, long line) {
        return ((long) file << LINE_BITS) | (line & ((1L << LINE_BITS) - 1));
    }
}
