package dev.pulse.operator.eventstream;

import dev.pulse.api.v1alpha1.eventstream.EventStream;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The steps of an EventStream's reconcile, in their order: the serving tables, then the workflow's
 * KafkaTopics and ConfigMaps (side by side), the FlinkDeployment, and the status. Each reconcile
 * passes through {@link #passed} after a step is written; in production nothing happens there.
 *
 * <p>A failpoint for the crash-at-each-step test: {@link #crashAfter} makes the next reconcile of one
 * stream end abruptly right after the given step, as if the operator's process died there: the
 * objects written so far stay, the rest is not written (the workflow's independent steps run side by
 * side, so a crash after the topics may find the ConfigMaps written or not), and what the process
 * remembered of the serving schemas it applied is forgotten. The reconcile that follows, like the
 * first one of a restarted operator, must converge from whatever it finds. {@code STATUS} is the
 * status worked out, just before it is patched.
 */
@ApplicationScoped
public class ReconcileSteps {
    /** A step of the stream's reconcile. */
    public enum Step {
        TABLES, TOPICS, CONFIG_MAPS, PIPELINE, STATUS
    }

    /** The simulated death of the operator after a step. */
    public static final class Crash extends RuntimeException {
        Crash(Step step, String stream) {
            super("simulated operator crash after step " + step + " of stream " + stream, null, false, false);
        }
    }

    private final ServingTables servingTables;
    private final Map<String, Step> armed = new ConcurrentHashMap<>();
    private final Map<String, Step> crashed = new ConcurrentHashMap<>();

    public ReconcileSteps(ServingTables servingTables) {
        this.servingTables = servingTables;
    }

    /** The next reconcile of stream {@code namespace/name} crashes right after {@code step}, once. */
    public void crashAfter(String stream, Step step) {
        armed.put(stream, step);
    }

    /** The step after which the stream's reconcile crashed, or null while it has not. */
    public Step crashed(String stream) {
        return crashed.get(stream);
    }

    /** A reconcile of the stream has written the step's objects. */
    void passed(EventStream stream, Step step) {
        if (armed.isEmpty()) {
            return;
        }
        String key = stream.getMetadata().getNamespace() + "/" + stream.getMetadata().getName();
        if (armed.remove(key, step)) {
            crashed.put(key, step);
            servingTables.forgetApplied();
            throw new Crash(step, key);
        }
    }
}
