package dev.pulse.pipeline.groups;

import dev.pulse.api.v1alpha1.common.AnalysisLimits;
import java.io.Serializable;
import java.util.Arrays;

/**
 * How one kind's records name their dimension combination and its period, for {@link GroupLimit}:
 * a Metric's observations, a Funnel's attempt updates, a Retention's member updates.
 */
public interface Groups<T> extends Serializable {
    /** The start of the period whose combinations are bounded together (the record's key in {@link GroupLimit}). */
    long period(T record);

    /** The record's dimension combination, as one string (equal combinations, equal strings). */
    String group(T record);

    /** Moves the record to its period's {@code __other__} combination. */
    void toOther(T record, long period);

    /**
     * Whether the record may take a combination's place. A record that only takes something back
     * (a funnel attempt disqualified after it was sent) makes no combination of its own.
     */
    default boolean admits(T record) {
        return true;
    }

    /**
     * The watermark at which no record of the period can change a row any more (every row of it
     * is final): its admitted combinations are dropped then.
     */
    long closesAt(long period);

    /** The {@code __other__} combination of {@code count} dimensions: every value {@code __other__}. */
    static String[] others(int count) {
        String[] values = new String[count];
        Arrays.fill(values, AnalysisLimits.OTHER);
        return values;
    }
}
