package dev.pulse.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.testsupport.ChildJvm;
import dev.pulse.testsupport.WorkerThread;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.JobState;

/**
 * Plays the Flink Kubernetes Operator: each FlinkDeployment's job runs as a child JVM (a Flink
 * MiniCluster executing {@code PipelineJob}) with what its pod would see ({@link JobPod}), in
 * {@code .pulse/pipelines/<ns>/<name>/}.
 *
 * <p>Status as the real operator reports it ({@link FlinkDeploymentStatus}): the generation and spec
 * the running job was started from as {@code observedGeneration} and
 * {@code reconciliationStatus.lastReconciledSpec} (so a spec change shows as not reconciled until
 * the new job is started);
 * {@code lifecycleState} DEPLOYED then STABLE, {@code jobStatus.state} RECONCILING then RUNNING;
 * {@code FAILED} (with {@code error}) when the process dies, then a restart with backoff; a spec
 * change (the plan hash on the pod template) stops the job and starts the new one; {@code job.state:
 * suspended} stops it ({@code SUSPENDED}); deletion stops it.
 *
 * <p>Upgrades and restarts carry Flink state: each job keeps its checkpoints under its directory
 * and a new start restores the newest one ({@link Checkpoints}; not a savepoint taken at the stop,
 * so events after that checkpoint are read again; the upserts make that harmless).
 */
final class FlinkController implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private long runningAfterMs = 4_000;
    private long stableAfterMs = 20_000;
    private long restartDelaySeconds = 5;

    private final KubernetesClient client;
    private final JobSetup setup;
    private final Progress progress;
    private final JobPod pod;
    private final FlinkDeploymentStatus status;
    private final WorkerThread worker = new WorkerThread("flink-stand-in");
    private final Map<String, FlinkJob> jobs = new ConcurrentHashMap<>();
    private SharedIndexInformer<FlinkDeployment> informer;
    private volatile boolean closing;

    /** Starts a job's process: the pipeline's JVM in the stack, a stand-in in tests. */
    interface JobLauncher {
        ChildJvm start(String name, List<String> args, Map<String, String> env, Path workDir, Path log)
                throws IOException, InterruptedException;
    }

    /**
     * How jobs run.
     *
     * @param pipelinesDir each job's files under {@code <ns>/<name>/}: its mounted ConfigMaps and checkpoints
     * @param logsDir each job's log, {@code pipeline-<ns>-<name>.log}
     * @param extraArgs appended to every job's arguments
     */
    record JobSetup(JobLauncher launcher, Path pipelinesDir, Path logsDir, List<String> extraArgs) {
    }

    FlinkController(KubernetesClient client, JobSetup setup, Progress progress) {
        this.client = client;
        this.setup = setup;
        this.progress = progress;
        this.pod = new JobPod(client);
        this.status = new FlinkDeploymentStatus(client, progress);
    }

    /** How long a job's process must be alive to count as RUNNING, then STABLE. */
    FlinkController timings(long runningAfter, long stableAfter) {
        this.runningAfterMs = runningAfter;
        this.stableAfterMs = stableAfter;
        this.restartDelaySeconds = 1;
        return this;
    }

    FlinkController start() {
        // assigned before it runs: FlinkDeployments that exist already are handed to the handler at once
        informer = client.resources(FlinkDeployment.class).inAnyNamespace().runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(FlinkDeployment fd) {
                submit(key(fd));
            }

            @Override
            public void onUpdate(FlinkDeployment old, FlinkDeployment fd) {
                submit(key(fd));
            }

            @Override
            public void onDelete(FlinkDeployment fd, boolean unknownFinalState) {
                String key = key(fd);
                worker.submit(() -> {
                    FlinkJob job = jobs.remove(key);
                    if (job != null) {
                        job.stop();
                        progress.step("flink", "FlinkDeployment " + key + " deleted: job stopped");
                    }
                });
            }
        });
        informer.run();
        return this;
    }

    private static String key(FlinkDeployment fd) {
        return fd.getMetadata().getNamespace() + "/" + fd.getMetadata().getName();
    }

    private void submit(String key) {
        if (!closing) {
            worker.submit(() -> reconcile(key));
        }
    }

    private void reconcile(String key) {
        try {
            FlinkDeployment fd = informer.getIndexer().getByKey(key);
            if (fd == null || fd.getMetadata().getDeletionTimestamp() != null) {
                return;
            }
            FlinkJob job = jobs.computeIfAbsent(key, k -> new FlinkJob());
            boolean suspend = fd.getSpec() != null && fd.getSpec().getJob() != null && fd.getSpec().getJob().getState() == JobState.SUSPENDED;
            String specKey = specKey(fd);
            boolean alive = job.alive();
            if (suspend) {
                if (job.process != null) {
                    job.stop();
                    progress.step("flink", "FlinkDeployment " + key + ": suspended, job stopped");
                }
                job.specKey = specKey;
                job.reconciled = fd;
                status.write(fd, "SUSPENDED", "FINISHED", null, job);
                return;
            }
            if (alive && specKey.equals(job.specKey)) {
                return;
            }
            if (alive) {
                progress.step("flink", "FlinkDeployment " + key + ": spec changed (plan " + planHash(fd)
                        + "), restarting the job from its newest checkpoint");
                job.stop();
            } else if (job.pendingRestart != null && specKey.equals(job.specKey)) {
                return; // a restart after a failure is already scheduled
            }
            job.failures = specKey.equals(job.specKey) ? job.failures : 0;
            job.specKey = specKey;
            deploy(key, fd, job);
        } catch (RuntimeException e) {
            progress.error("flink", "FlinkDeployment " + key + ": " + e.getMessage());
        }
    }

    private void deploy(String key, FlinkDeployment fd, FlinkJob job) {
        job.cancelRestart();
        String ns = fd.getMetadata().getNamespace();
        String name = fd.getMetadata().getName();
        Path dir = setup.pipelinesDir().resolve(ns).resolve(name);
        try {
            List<String> args = pod.arguments(fd, dir);
            for (String extra : setup.extraArgs()) {
                if (!args.contains(extra)) {
                    args.add(extra);
                }
            }
            // keep checkpoints across restarts and upgrades, and start from the newest one, like
            // the Flink operator's last-state/savepoint upgrade (removed analyses' state is dropped)
            Path checkpoints = dir.resolve("checkpoints");
            args.add("--checkpoint-dir");
            args.add(checkpoints.toUri().toString());
            Checkpoints.latest(checkpoints).ifPresent(c -> {
                args.add("--restore");
                args.add(c.toUri().toString());
            });
            Map<String, String> env = pod.environment(fd);
            job.reconciled = fd;
            job.jobId = UUID.randomUUID().toString().replace("-", "");
            job.startedAt = System.currentTimeMillis();
            ChildJvm process = setup.launcher().start("pipeline " + key, args, env, dir,
                    setup.logsDir().resolve("pipeline-" + ns + "-" + name + ".log"));
            job.process = process;
            progress.step("flink", "FlinkDeployment " + key + ": job started (pid " + process.pid() + ", plan " + planHash(fd)
                    + ", log " + process.log() + ")");
            status.write(fd, "DEPLOYED", "RECONCILING", null, job);
            process.onExit().thenRun(() -> worker.submit(() -> exited(key, job, process)));
            worker.schedule(() -> progressed(key, job, process), runningAfterMs, TimeUnit.MILLISECONDS);
            worker.schedule(() -> progressed(key, job, process), stableAfterMs, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            progress.error("flink", "FlinkDeployment " + key + ": cannot start the job: " + e.getMessage());
            status.write(fd, "FAILED", "FAILED", "cannot start the job: " + e.getMessage(), job);
            scheduleRestart(key, job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Time passing with the process alive: RECONCILING → RUNNING, then DEPLOYED → STABLE. */
    private void progressed(String key, FlinkJob job, ChildJvm process) {
        FlinkDeployment fd = informer.getIndexer().getByKey(key);
        if (fd == null || job.process != process || !process.isAlive()) {
            return;
        }
        long up = System.currentTimeMillis() - job.startedAt;
        status.write(job.reconciled == null ? fd : job.reconciled, up >= stableAfterMs ? "STABLE" : "DEPLOYED", "RUNNING", null, job);
        if (up >= stableAfterMs) {
            job.failures = 0;
        }
    }

    private void exited(String key, FlinkJob job, ChildJvm process) {
        if (closing || process.stopping() || job.process != process) {
            return;
        }
        job.process = null;
        job.failures++;
        String error = "the job's process exited with code " + process.exitValue() + ": " + lastLines(process.log(), 3);
        progress.error("flink", "FlinkDeployment " + key + ": " + error);
        FlinkDeployment fd = informer.getIndexer().getByKey(key);
        if (fd != null) {
            status.write(job.reconciled == null ? fd : job.reconciled, "FAILED", "FAILED", error, job);
            scheduleRestart(key, job);
        }
    }

    private void scheduleRestart(String key, FlinkJob job) {
        long delay = Math.min(60, restartDelaySeconds << Math.min(4, Math.max(0, job.failures - 1)));
        progress.step("flink", "FlinkDeployment " + key + ": restarting in " + delay + " s (failure " + job.failures + ")");
        job.pendingRestart = worker.schedule(() -> {
            job.pendingRestart = null;
            FlinkDeployment fd = informer.getIndexer().getByKey(key);
            if (fd != null && !closing && !job.alive()) {
                job.specKey = null; // force a deploy
                reconcile(key);
            }
        }, delay, TimeUnit.SECONDS);
    }

    /** The last {@code n} lines of a log that are not stack frames: why a job died. */
    private static String lastLines(Path log, int n) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = new ArrayList<>();
            for (int i = lines.size() - 1; i >= 0 && tail.size() < n; i--) {
                String l = lines.get(i).trim();
                if (!l.isEmpty() && !l.startsWith("at ") && !l.startsWith("...")) {
                    tail.add(0, l);
                }
            }
            return String.join(" | ", tail);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** The spec without {@code job.state}: a change here is an upgrade, a change of state alone is suspend/resume. */
    private String specKey(FlinkDeployment fd) {
        try {
            JsonNode spec = JSON.readTree(client.getKubernetesSerialization().asJson(fd.getSpec()));
            if (spec instanceof ObjectNode o && o.get("job") instanceof ObjectNode j) {
                j.remove("state");
            }
            return spec.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String planHash(FlinkDeployment fd) {
        var template = fd.getSpec() == null ? null : fd.getSpec().getPodTemplate();
        Map<String, String> a = template == null || template.getMetadata() == null ? null : template.getMetadata().getAnnotations();
        String hash = a == null ? null : a.get("pulse.dev/plan-hash");
        return hash == null ? "?" : hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    /** The running jobs' processes (peak memory figures). */
    List<ChildJvm> processes() {
        List<ChildJvm> out = new ArrayList<>();
        for (FlinkJob j : jobs.values()) {
            if (j.process != null) {
                out.add(j.process);
            }
        }
        return out;
    }

    @Override
    public void close() {
        closing = true;
        if (informer != null) {
            informer.close();
        }
        worker.close();
        for (FlinkJob j : jobs.values()) {
            j.stop();
        }
        jobs.clear();
    }
}
