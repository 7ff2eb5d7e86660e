package dev.pulse.operator.status;

/**
 * Whether a measured figure moved enough to be written into status again: the API server is not
 * written every probe interval for noise.
 */
final class Deadband {
    private Deadband() {
    }

    /**
     * @param absolute smallest change that counts
     * @param relative smallest change that counts, as a fraction of the larger value
     */
    static boolean moved(Long previous, Long next, long absolute, double relative) {
        if (previous == null || next == null) {
            return previous != next;
        }
        long delta = Math.abs(next - previous);
        return delta >= Math.max(absolute, Math.ceil(relative * Math.max(Math.abs(previous), Math.abs(next))));
    }
}
