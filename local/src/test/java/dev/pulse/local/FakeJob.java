package dev.pulse.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for the pipeline's JVM in {@link FlinkControllerTest}: records its arguments and
 * environment in {@code started-<pid>} in its working directory, runs until killed, and exits with
 * code 3 when a file {@code crash} appears there.
 */
public final class FakeJob {
    private FakeJob() {
    }

    public static void main(String[] args) throws Exception {
        long pid = ProcessHandle.current().pid();
        Files.writeString(Path.of("started-" + pid), String.join(" ", args) + "\nPULSE_JDBC_URL=" + System.getenv("PULSE_JDBC_URL")
                + "\nPULSE_KAFKA_BOOTSTRAP_SERVERS=" + System.getenv("PULSE_KAFKA_BOOTSTRAP_SERVERS") + "\n");
        while (true) {
            if (Files.deleteIfExists(Path.of("crash"))) {
                System.err.println("job failed: simulated crash");
                System.exit(3);
            }
            Thread.sleep(50);
        }
    }
}
