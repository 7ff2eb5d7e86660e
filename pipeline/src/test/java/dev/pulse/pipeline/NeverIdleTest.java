package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.funnel.AttemptUpdate;
import dev.pulse.pipeline.funnel.FunnelAttempts;
import dev.pulse.pipeline.funnel.FunnelEvent;
import dev.pulse.pipeline.funnel.FunnelRow;
import dev.pulse.pipeline.funnel.FunnelRows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.OneInputStreamTask;
import org.apache.flink.streaming.runtime.tasks.StreamTaskMailboxTestHarness;
import org.apache.flink.streaming.runtime.tasks.StreamTaskMailboxTestHarnessBuilder;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.junit.jupiter.api.Test;

/**
 * A funnel's two keyed stages as real Flink tasks: two subtasks of the attempts (X and Y, each
 * chained as the job chains it) and the rows task reading both over two channels. The live stream
 * goes quiet (both subtasks hear it idle), then wakes up with a watermark past the window, which Y
 * handles before X, as happens when one subtask is busier. The rows' final row must count both
 * subtasks' actors. Without {@link NeverIdle} the idle X no longer holds the rows back and the
 * window is made final with Y's actor only: the hazard, shown so that the first test can fail.
 */
class NeverIdleTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000;
    private static final AnalysisPlan FUNNEL = TestPlans.compile(stream() + FunnelRetentionTraffic.funnel("f", "ordered", "uniques", false))
            .analysis(AnalysisKind.Funnel, "f").orElseThrow();

    @Test
    void aWindowWaitsForTheSubtaskThatWakesUpLast() throws Exception {
        List<FunnelRow> finals = run(true);
        assertThat(finals).as("final rows").hasSize(1);
        assertThat(finals.get(0).windowStart).isEqualTo(T0);
        assertThat(finals.get(0).counts[0]).as("actors at step 1: one from each subtask").isEqualTo(2);
    }

    @Test
    void withoutItTheWindowIsFinalBeforeTheSlowerSubtaskSpeaks() throws Exception {
        List<FunnelRow> finals = run(false);
        assertThat(finals.get(0).counts[0]).as("the first final row counts Y's actor only").isEqualTo(1);
    }

    /** The final rows the rows task emits, in order. */
    private static List<FunnelRow> run(boolean neverIdle) throws Exception {
        try (StreamTaskMailboxTestHarness<AttemptUpdate> x = attempts(neverIdle);
                StreamTaskMailboxTestHarness<AttemptUpdate> y = attempts(neverIdle);
                StreamTaskMailboxTestHarness<FunnelRow> rows = new StreamTaskMailboxTestHarnessBuilder<>(OneInputStreamTask::new,
                        TypeInformation.of(FunnelRow.class))
                        .setKeyType(Types.STRING)
                        .addInput(TypeInformation.of(AttemptUpdate.class), 2, (KeySelector<AttemptUpdate, String>) u -> u.row)
                        .setupOutputForSingletonOperatorChain(new KeyedProcessOperator<>(new FunnelRows(FUNNEL, false)))
                        .build()) {
            x.processElement(new StreamRecord<>(step1("actor-x", T0 + 10 * 60_000)));
            y.processElement(new StreamRecord<>(step1("actor-y", T0 + 20 * 60_000)));
            x.processElement(new Watermark(T0));
            y.processElement(new Watermark(T0));
            // the live stream goes quiet
            x.processElement(WatermarkStatus.IDLE);
            y.processElement(WatermarkStatus.IDLE);
            forward(x, rows, 0);
            forward(y, rows, 1);
            // and wakes up with a watermark past the window, its conversion window and lateness: Y first
            long past = T0 + 3 * HOUR;
            y.processElement(WatermarkStatus.ACTIVE);
            y.processElement(new Watermark(past));
            forward(y, rows, 1);
            if (neverIdle) {
                assertThat(finals(rows)).as("final rows before X moved").isEmpty();
            }
            x.processElement(WatermarkStatus.ACTIVE);
            x.processElement(new Watermark(past));
            forward(x, rows, 0);
            return finals(rows);
        }
    }

    private static StreamTaskMailboxTestHarness<AttemptUpdate> attempts(boolean neverIdle) throws Exception {
        StreamTaskMailboxTestHarnessBuilder<AttemptUpdate> builder = new StreamTaskMailboxTestHarnessBuilder<>(OneInputStreamTask::new,
                TypeInformation.of(AttemptUpdate.class))
                .setKeyType(Types.STRING)
                .addInput(TypeInformation.of(FunnelEvent.class), 1, (KeySelector<FunnelEvent, String>) e -> e.actor);
        KeyedProcessOperator<String, FunnelEvent, AttemptUpdate> attempts = new KeyedProcessOperator<>(new FunnelAttempts(FUNNEL, false));
        if (!neverIdle) {
            return builder.setupOutputForSingletonOperatorChain(attempts).build();
        }
        return builder.setupOperatorChain(attempts)
                .chain(NeverIdle.operator(), TypeInformation.of(AttemptUpdate.class).createSerializer(new SerializerConfigImpl()))
                .finish()
                .build();
    }

    /** Everything the subtask sent since the last call, to the rows task's channel. */
    private static void forward(StreamTaskMailboxTestHarness<AttemptUpdate> from, StreamTaskMailboxTestHarness<FunnelRow> to, int channel)
            throws Exception {
        from.processAll();
        Object sent;
        while ((sent = from.getOutput().poll()) != null) {
            to.processElement(sent, 0, channel);
        }
        to.processAll();
    }

    private static List<FunnelRow> finals(StreamTaskMailboxTestHarness<FunnelRow> rows) {
        List<FunnelRow> finals = new ArrayList<>();
        for (Object o : rows.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof FunnelRow row && row.finalResult) {
                finals.add(row);
            }
        }
        return finals;
    }

    private static FunnelEvent step1(String actor, long time) {
        FunnelEvent e = new FunnelEvent();
        e.actor = actor;
        e.time = time;
        e.steps = 1;
        e.dimensions = new String[0];
        return e;
    }

    private static String stream() {
        for (String doc : ShopEvents.DEFINITIONS.split("(?m)^---\n")) {
            if (doc.contains("kind: EventStream")) {
                return "---\n" + doc;
            }
        }
        throw new IllegalStateException("no EventStream in the test definitions");
    }
}
