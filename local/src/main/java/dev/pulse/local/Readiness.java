package dev.pulse.local;

import dev.pulse.testsupport.ChildJvm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * The stack's waits: for a child service to listen (saying when it does, when it died, or when it
 * never came up), and for a topic to exist.
 */
final class Readiness {
    private final Progress progress;
    private final BooleanSupplier stopped;

    /** @param stopped true once the stack is stopping: waiting ends quietly */
    Readiness(Progress progress, BooleanSupplier stopped) {
        this.progress = progress;
        this.stopped = stopped;
    }

    boolean stopped() {
        return stopped.getAsBoolean();
    }

    /** Polls {@code port} every 500 ms for up to {@code seconds}; reports on the line of {@code part}. */
    void awaitListening(String part, ChildJvm process, int port, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline && !stopped.getAsBoolean()) {
            if (!process.isAlive()) {
                progress.error(part, "exited with code " + process.exitValue() + " — see " + process.log());
                return;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                progress.step(part, "ready (http://localhost:" + port + ")");
                return;
            } catch (IOException e) {
                pause(500);
            }
        }
        if (!stopped.getAsBoolean()) {
            progress.error(part, "not listening on port " + port + " after " + seconds + " s — see " + process.log());
        }
    }

    /**
     * Waits up to {@code seconds} for the topic {@code topic} names (it may name none yet) to exist
     * on the broker; the topic, or null when none was named before the deadline or the stop.
     */
    String awaitTopic(Admin admin, Supplier<String> topic, int seconds) throws Exception {
        String name = null;
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!stopped.getAsBoolean() && System.currentTimeMillis() < deadline) {
            if (name == null) {
                name = topic.get();
            }
            if (name != null && admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(name)) {
                break;
            }
            pause(500);
        }
        return stopped.getAsBoolean() ? null : name;
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
