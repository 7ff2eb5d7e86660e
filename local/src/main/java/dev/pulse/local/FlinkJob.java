package dev.pulse.local;

import dev.pulse.testsupport.ChildJvm;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import java.util.concurrent.ScheduledFuture;

/** What runs for one FlinkDeployment: its process, the spec it runs, its failures and a scheduled restart. */
final class FlinkJob {
    ChildJvm process;
    /** The spec the process runs ({@link FlinkController#specKey}), null to force a deploy. */
    String specKey;
    /**
     * The FlinkDeployment as it was when its spec was last acted on (deployed, or suspended): its
     * generation and spec are what the status reports as reconciled, whatever the spec is now.
     */
    FlinkDeployment reconciled;
    String jobId;
    long startedAt;
    int failures;
    ScheduledFuture<?> pendingRestart;

    boolean alive() {
        return process != null && process.isAlive();
    }

    void cancelRestart() {
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
    }

    /** Stops the process (TERM, then KILL after 20 s) and any scheduled restart. */
    void stop() {
        cancelRestart();
        if (process != null) {
            process.stop(20);
            process = null;
        }
    }
}
