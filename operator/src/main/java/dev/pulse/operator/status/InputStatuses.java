package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.eventstream.DeadLetterRecord;
import dev.pulse.api.v1alpha1.eventstream.InputStatus;
import dev.pulse.operator.health.InputReading;
import java.util.TreeMap;

/** {@code status.input} of an EventStream from a count of its dead-letter records. */
public final class InputStatuses {
    private InputStatuses() {
    }

    public static InputStatus of(InputReading r) {
        InputStatus s = new InputStatus();
        s.setDeadLetterTopic(r.topic());
        s.setSince(r.since().toString());
        s.setMalformed(new TreeMap<>(r.malformed()));
        s.setMalformedTotal(r.malformedTotal());
        s.setLate(new TreeMap<>(r.late()));
        s.setLateTotal(r.lateTotal());
        if (r.last() != null) {
            DeadLetterRecord last = new DeadLetterRecord();
            last.setReason(r.last().reason());
            last.setAnalysis(r.last().analysis());
            last.setPartition(r.last().partition());
            last.setOffset(r.last().offset());
            last.setAt(r.last().at().toString());
            s.setLast(last);
        }
        s.setAsOf(r.asOf().toString());
        return s;
    }
}
