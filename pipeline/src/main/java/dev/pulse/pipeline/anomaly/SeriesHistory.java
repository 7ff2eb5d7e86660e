package dev.pulse.pipeline.anomaly;

import java.util.Arrays;

/**
 * The recent final values of one series (one metric, one combination of dimension values), in
 * window order, bounded to {@link #CAPACITY} points; plus the EWMA state and the first point's time.
 */
public class SeriesHistory {
    public SeriesHistory() {
    }

    /** Points kept: enough for 8 weekly seasons of hourly windows (8 × 168). */
    public static final int CAPACITY = 1344;
    public long firstWindowStart = Long.MIN_VALUE;
    public long[] starts = new long[16];
    public double[] values = new double[16];
    public int size;
    public double ewmaMean = Double.NaN;
    public double ewmaVariance;

    void append(long windowStart, double value) {
        if (firstWindowStart == Long.MIN_VALUE) {
            firstWindowStart = windowStart;
        }
        if (size == starts.length) {
            if (size < CAPACITY) {
                starts = Arrays.copyOf(starts, Math.min(CAPACITY, size * 2));
                values = Arrays.copyOf(values, starts.length);
            } else {
                System.arraycopy(starts, 1, starts, 0, size - 1);
                System.arraycopy(values, 1, values, 0, size - 1);
                size--;
            }
        }
        starts[size] = windowStart;
        values[size] = value;
        size++;
    }

    /** The value of the window starting at {@code windowStart}, or NaN when absent. */
    double valueAt(long windowStart) {
        int i = Arrays.binarySearch(starts, 0, size, windowStart);
        return i >= 0 ? values[i] : Double.NaN;
    }
}
