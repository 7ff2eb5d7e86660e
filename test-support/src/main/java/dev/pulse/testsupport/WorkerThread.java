package dev.pulse.testsupport;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one thread a stand-in controller does its work on, so its reconciles never overlap; a daemon,
 * so it never keeps the JVM (the embedded stack's, a test's) alive.
 */
public final class WorkerThread implements AutoCloseable {
    private final ScheduledExecutorService executor;

    public WorkerThread(String name) {
        this.executor = Executors.newSingleThreadScheduledExecutor(daemons(name));
    }

    /** Daemon threads with {@code name}. */
    public static ThreadFactory daemons(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public void submit(Runnable task) {
        executor.submit(task);
    }

    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return executor.schedule(task, delay, unit);
    }

    /** Interrupts the running task, drops the queued ones and waits up to 5 s for the thread to end. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
