package dev.pulse.pipeline.anomaly;

/** An anomaly on a metric's series: the window, dimension values, and the observed value against its band. */
public class AnomalyRow {
    public long windowStart;
    public long windowEnd;
    public String[] dimensions;
    public double observed;
    public double expected;
    public double lower;
    public double upper;
    public double score;

    public AnomalyRow() {
    }
}
