package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The command-line tools the chart tests run. A missing tool fails the test (never skips it):
 * CI must not go green without having linted the chart or checked the alerts.
 */
final class Tools {
    private static final String INSTALL_HINT = "run tools/install-tools.sh (it installs helm and kubectl into tools/bin and promtool from Debian's prometheus package)";

    private Tools() {
    }

    private static boolean installed;

    /**
     * Runs tools/install-tools.sh once per test run, so `./mvnw verify` works on a fresh machine
     * (as root with apt and npm, like CI); a tool still missing afterwards fails the test.
     */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        try {
            Process p = new ProcessBuilder("bash", Repo.root().resolve("tools/install-tools.sh").toString()).inheritIO().start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** helm: env PULSE_HELM, else tools/bin/helm (installed there when missing). */
    static Path helm() {
        String env = System.getenv("PULSE_HELM");
        Path helm = env != null && !env.isBlank() ? Path.of(env) : Repo.root().resolve("tools/bin/helm");
        if (!Files.isExecutable(helm) && (env == null || env.isBlank())) {
            install();
        }
        if (!Files.isExecutable(helm)) {
            fail("helm not found at " + helm + " (set PULSE_HELM or " + INSTALL_HINT + ")");
        }
        return helm;
    }

    /** promtool: env PULSE_PROMTOOL, else the first on PATH. */
    static Path promtool() {
        String env = System.getenv("PULSE_PROMTOOL");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (!Files.isExecutable(p)) {
                fail("PULSE_PROMTOOL=" + env + " is not an executable file (" + INSTALL_HINT + ")");
            }
            return p;
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, "promtool");
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    return p;
                }
            }
            install();
        }
        return fail("promtool not found on PATH (set PULSE_PROMTOOL or " + INSTALL_HINT + ")");
    }

    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    static Result run(Path workingDir, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(workingDir.toFile()).start();
            process.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("timed out after 120 s: " + String.join(" ", command));
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command and fails the test, with its output, unless it exits 0. */
    static Result runOk(Path workingDir, List<String> command) {
        Result r = run(workingDir, command);
        if (r.exitCode() != 0) {
            fail(String.join(" ", command) + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r;
    }

    static List<String> cmd(Path tool, String... args) {
        List<String> c = new ArrayList<>();
        c.add(tool.toString());
        c.addAll(List.of(args));
        return c;
    }

    private static String drain(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
