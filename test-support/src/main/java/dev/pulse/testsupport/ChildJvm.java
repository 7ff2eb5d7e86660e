package dev.pulse.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Java process started with its own classpath and its output in a log file: the local stack's
 * operator, pipelines and serving API, a test's Kafka broker. {@link #stop()} ends it and everything it started: TERM, a grace
 * period, then KILL, so no process outlives the stack.
 */
public final class ChildJvm {
    private final String name;
    private final Process process;
    private final Path log;
    private volatile boolean stopping;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param jvmArgs options before the main class or {@code -jar}
     * @param launch {@code -jar x.jar} or {@code -cp … Main}, then the program's arguments
     */
    public static ChildJvm start(String name, List<String> jvmArgs, List<String> launch, Map<String, String> env, Path workDir, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(launch);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Files.writeString(log, "\n=== " + java.time.Instant.now() + " " + String.join(" ", command) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return new ChildJvm(name, pb.start(), log);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether {@link #stop()} was asked for (an exit after that is not a failure). */
    public boolean stopping() {
        return stopping;
    }

    public java.util.concurrent.CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** Peak resident memory of the process in MB (Linux VmHWM), or -1 when unknown. */
    public long peakRssMb() {
        return peakRssMb(process.pid());
    }

    public static long peakRssMb(long pid) {
        return statusMb(pid, "VmHWM:");
    }

    /** Resident memory of a process now in MB (Linux VmRSS), or -1 when unknown. */
    public static long rssMb(long pid) {
        return statusMb(pid, "VmRSS:");
    }

    private static long statusMb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** TERM, wait up to {@code graceSeconds}, then KILL; the process's own children too. */
    public void stop(long graceSeconds) {
        stopping = true;
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                d.destroyForcibly();
            }
        }
    }
}
