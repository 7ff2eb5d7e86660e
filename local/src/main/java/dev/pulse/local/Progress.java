package dev.pulse.local;

import dev.pulse.testsupport.StandInReport;
import java.io.PrintStream;

/** The progress lines {@code pulse local} prints: seconds since start, the part, what happened. */
final class Progress implements StandInReport {
    private final long startNanos = System.nanoTime();
    private final PrintStream out;

    Progress(PrintStream out) {
        this.out = out;
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Override
    public void step(String part, String message) {
        synchronized (out) {
            out.printf("[%6.1fs] %-10s %s%n", seconds(), part, message);
            out.flush();
        }
    }

    @Override
    public void error(String part, String message) {
        synchronized (out) {
            out.printf("[%6.1fs] %-10s ERROR: %s%n", seconds(), part, message);
            out.flush();
        }
    }

    void line(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }
}
