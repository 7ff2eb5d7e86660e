package dev.pulse.api.plan;

/**
 * A stream's dead-letter topic (docs/bad-events.md): its name and the headers of its records, for
 * the job that writes it and the operator that counts it. Each record there is one input record
 * the stream did not count (malformed) or one analysis did not count (late), with the original
 * key and bytes.
 */
public final class DeadLetters {
    /** Header: why the record was not counted, a {@link Reason#code()}. */
    public static final String REASON = "pulse-reason";
    /** Header: the input record's partition, in decimal. */
    public static final String PARTITION = "pulse-partition";
    /** Header: the input record's offset, in decimal. */
    public static final String OFFSET = "pulse-offset";
    /** Header, late records only: the analysis it was late for, {@code <Kind>/<namespace>/<name>}. */
    public static final String ANALYSIS = "pulse-analysis";

    private DeadLetters() {
    }

    /** The dead-letter topic of a stream's topic: {@code <topic>.dlq}. */
    public static String topic(String streamTopic) {
        return streamTopic + ".dlq";
    }

    /** How a late record names its analysis in {@link #ANALYSIS}. */
    public static String analysis(AnalysisPlan plan) {
        return plan.kind() + "/" + plan.namespace() + "/" + plan.name();
    }

    /**
     * Why a record was not counted. The malformed reasons are listed in the order they are
     * checked: a record gets the first that applies.
     */
    public enum Reason {
        TOO_LARGE("too-large"),
        NOT_JSON("not-json"),
        NOT_OBJECT("not-object"),
        NO_TIME("no-time"),
        BAD_TIME("bad-time"),
        FUTURE_TIME("future-time"),
        WRONG_TYPE("wrong-type"),
        BAD_NUMBER("bad-number"),
        BAD_STRING("bad-string"),
        /** Not malformed: late for one analysis (and counted by the others). */
        LATE("late");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The code in headers, status and metrics, e.g. {@code not-json}. */
        public String code() {
            return code;
        }

        /** The reason with this code, or null. */
        public static Reason of(String code) {
            for (Reason r : values()) {
                if (r.code.equals(code)) {
                    return r;
                }
            }
            return null;
        }
    }
}
