package dev.pulse.operator.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.v1alpha1.common.AnalysisStatus;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.operator.status.Conditions;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftStatusFactoryTest {
    private static final LocalDate D1 = LocalDate.parse("2026-03-01");
    private static final DriftComparison.Tolerance TOLERANCE = new DriftComparison.Tolerance(0.005, null);

    private static DriftComparison counts(Map<List<String>, Double> streaming, Map<List<String>, Double> batch) {
        return DriftComparison.compare(AggregationType.count, new DayValues(List.of("platform"), streaming), new DayValues(List.of("platform"), batch), TOLERANCE);
    }

    private static AnalysisStatus apply(AnalysisStatus previous, DriftOutcome outcome) {
        DriftStatusFactory f = DriftStatusFactory.of(previous, outcome, 3);
        AnalysisStatus s = new AnalysisStatus();
        s.setDrift(f.drift());
        s.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(), f.conditions(), 1, Instant.EPOCH));
        return s;
    }

    private static String reason(AnalysisStatus s, String type) {
        return s.condition(type).orElseThrow().getReason();
    }

    @Test
    void comparisonNamesTheWorstDimensionValuesWorstFirst() {
        DriftComparison c = counts(Map.of(List.of("ios"), 90.0, List.of("web"), 200.0, List.of("tv"), 3.0),
                Map.of(List.of("ios"), 100.0, List.of("web"), 201.0, List.of("android"), 50.0));
        assertThat(c.clean()).isFalse();
        assertThat(c.streaming()).isEqualTo(293.0);
        assertThat(c.batch()).isEqualTo(351.0);
        assertThat(c.worst()).containsExactly("platform=tv: streaming 3, no batch row", "platform=android: streaming 0, batch 50 (-100.00%)",
                "platform=ios: streaming 90, batch 100 (-10.00%)", "platform=web: streaming 200, batch 201 (-0.50%)");
    }

    @Test
    void anAbsoluteToleranceForgivesSmallCounts() {
        DriftComparison c = DriftComparison.compare(AggregationType.count, new DayValues(List.of(), Map.of(List.of(), 3.0)),
                new DayValues(List.of(), Map.of(List.of(), 2.0)), new DriftComparison.Tolerance(0.005, 1.0));
        assertThat(c.clean()).isTrue();
        assertThat(c.relativeError()).isEqualTo(0.5);
    }

    @Test
    void failuresChangeNoFigureAndBreakNoRun() {
        DriftComparison clean = counts(Map.of(List.of("ios"), 10.0), Map.of(List.of("ios"), 10.0));
        AnalysisStatus s1 = apply(null, DriftOutcome.compared(D1, clean));
        AnalysisStatus failed = apply(s1, DriftOutcome.of(D1.plusDays(1), DriftOutcome.Kind.FAILED, "connection refused"));
        assertThat(failed.getDrift()).isEqualTo(s1.getDrift());
        assertThat(reason(failed, Condition.DRIFT_WITHIN_TOLERANCE)).isEqualTo("BatchQueryFailed");
        AnalysisStatus s2 = apply(failed, DriftOutcome.compared(D1.plusDays(1), clean));
        assertThat(s2.getDrift().getConsecutiveCleanDays()).isEqualTo(2);
        AnalysisStatus notConfigured = apply(s2, DriftOutcome.of(D1.plusDays(2), DriftOutcome.Kind.SOURCE_NOT_CONFIGURED, "no source"));
        assertThat(reason(notConfigured, Condition.DRIFT_WITHIN_TOLERANCE)).isEqualTo("BatchSourceNotConfigured");
        assertThat(notConfigured.condition(Condition.DRIFT_WITHIN_TOLERANCE).orElseThrow().getStatus()).isEqualTo("False");
        assertThat(reason(notConfigured, Condition.AUTHORITATIVE)).isEqualTo("OnProbation");
    }

    @Test
    void aMissingBatchRowNeitherExtendsNorBreaksTheRunAndKeepsAuthoritative() {
        DriftComparison clean = counts(Map.of(List.of("ios"), 10.0), Map.of(List.of("ios"), 10.0));
        AnalysisStatus s = null;
        for (int d = 0; d < 3; d++) {
            s = apply(s, DriftOutcome.compared(D1.plusDays(d), clean));
        }
        assertThat(reason(s, Condition.AUTHORITATIVE)).isEqualTo("Promoted");
        AnalysisStatus missing = apply(s, new DriftOutcome(D1.plusDays(3), DriftOutcome.Kind.BATCH_ROW_MISSING, null, 10.0, null));
        assertThat(missing.getDrift().getConsecutiveCleanDays()).isEqualTo(3);
        assertThat(reason(missing, Condition.AUTHORITATIVE)).isEqualTo("Promoted");
        AnalysisStatus next = apply(missing, DriftOutcome.compared(D1.plusDays(4), clean));
        assertThat(next.getDrift().getConsecutiveCleanDays()).isEqualTo(4);
        // a gap (a day never compared) starts the run over
        AnalysisStatus gap = apply(next, DriftOutcome.compared(D1.plusDays(6), clean));
        assertThat(gap.getDrift().getConsecutiveCleanDays()).isEqualTo(1);
        assertThat(gap.condition(Condition.AUTHORITATIVE).orElseThrow().getStatus()).isEqualTo("False");
    }

    @Test
    void beforeTheFirstDayItSaysSo() {
        DriftStatusFactory f = DriftStatusFactory.unchanged(null, 7);
        assertThat(f.withinTolerance().getReason()).isEqualTo("AwaitingFirstDay");
        assertThat(f.authoritative().getMessage()).startsWith("0 of 7");
    }
}
