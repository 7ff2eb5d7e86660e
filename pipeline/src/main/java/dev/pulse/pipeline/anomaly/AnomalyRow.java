package dev.pulse.pipeline.anomaly;

import dev.pulse.pipeline.sink.ResultRow;

/** An anomaly on a metric's series: the window, dimension values, and the observed value against its band; always final. */
public class AnomalyRow extends ResultRow<AnomalyRow> {
    public double observed;
    public double expected;
    public double lower;
    public double upper;
    public double score;

    public AnomalyRow() {
        finalResult = true;
    }

    @Override
    public AnomalyRow copy() {
        AnomalyRow c = copyKeyTo(new AnomalyRow());
        c.observed = observed;
        c.expected = expected;
        c.lower = lower;
        c.upper = upper;
        c.score = score;
        return c;
    }
}
