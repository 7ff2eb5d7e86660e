package dev.pulse.testsupport;

/** Where the stand-ins of cluster controllers ({@link TopicController}, {@link OwnerGarbageCollector}) say what they did. */
public interface StandInReport {
    /** Something done, by a part (e.g. "strimzi", "gc"). */
    void step(String part, String message);

    /** Something that failed. */
    void error(String part, String message);

    /** Says nothing (tests that assert on the effects). */
    StandInReport SILENT = new StandInReport() {
        @Override
        public void step(String part, String message) {
        }

        @Override
        public void error(String part, String message) {
        }
    };
}
