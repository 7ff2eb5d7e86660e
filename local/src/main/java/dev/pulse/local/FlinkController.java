package dev.pulse.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.testsupport.ChildJvm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.JobState;

/**
 * Plays the Flink Kubernetes Operator: each FlinkDeployment's job runs as a child JVM (a Flink
 * MiniCluster executing {@code PipelineJob}), its plan read from the ConfigMap its pod template
 * mounts and written to {@code .pulse/pipelines/<ns>/<name>/}, its environment from the main
 * container's {@code env} and {@code envFrom} Secrets/ConfigMaps, as a pod would get them.
 *
 * <p>Status as the real operator reports it, through the status subresource:
 * {@code lifecycleState} DEPLOYED then STABLE, {@code jobStatus.state} RECONCILING then RUNNING;
 * {@code FAILED} (with {@code error}) when the process dies, then a restart with backoff; a spec
 * change (the plan hash on the pod template) stops the job and starts the new one; {@code job.state:
 * suspended} stops it ({@code SUSPENDED}); deletion stops it.
 *
 * <p>Upgrades and restarts carry Flink state: each job keeps its checkpoints under its directory
 * and a new start restores the newest one (not a savepoint taken at the stop, so events after that
 * checkpoint are read again; the upserts make that harmless).
 */
final class FlinkController implements AutoCloseable {
    static final ResourceDefinitionContext FLINK_DEPLOYMENTS = new ResourceDefinitionContext.Builder()
            .withGroup("flink.apache.org").withVersion("v1beta1").withKind("FlinkDeployment").withPlural("flinkdeployments")
            .withNamespaced(true).build();
    static final String MAIN_CONTAINER = "flink-main-container";
    private long runningAfterMs = 4_000;
    private long stableAfterMs = 20_000;
    private long restartDelaySeconds = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final JobLauncher launcher;
    private final Path pipelinesDir;
    private final Path logsDir;
    private final List<String> extraArgs;
    private final Progress progress;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> TopicController.daemon(r, "flink-stand-in"));
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private SharedIndexInformer<FlinkDeployment> informer;
    private volatile boolean closing;

    /** What runs for one FlinkDeployment. */
    private static final class Job {
        ChildJvm process;
        String specKey;
        String jobId;
        long startedAt;
        int failures;
        ScheduledFuture<?> pending;
    }

    /**
     * @param extraArgs appended to every job's arguments (the local stack adds {@code --create-tables}:
     *     the operator does not create the serving schema yet)
     */
    FlinkController(KubernetesClient client, JobLauncher launcher, Path pipelinesDir, Path logsDir, List<String> extraArgs,
            Progress progress) {
        this.client = client;
        this.launcher = launcher;
        this.pipelinesDir = pipelinesDir;
        this.logsDir = logsDir;
        this.extraArgs = extraArgs;
        this.progress = progress;
    }

    /** How long a job's process must be alive to count as RUNNING, then STABLE. */
    FlinkController timings(long runningAfter, long stableAfter) {
        this.runningAfterMs = runningAfter;
        this.stableAfterMs = stableAfter;
        this.restartDelaySeconds = 1;
        return this;
    }

    /** Starts a job's process: the pipeline's JVM in the stack, a stand-in in tests. */
    interface JobLauncher {
        ChildJvm start(String name, List<String> args, Map<String, String> env, Path workDir, Path log)
                throws IOException, InterruptedException;
    }

    FlinkController start() {
        informer = client.resources(FlinkDeployment.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
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
                    Job job = jobs.remove(key);
                    if (job != null) {
                        stop(job);
                        progress.step("flink", "FlinkDeployment " + key + " deleted: job stopped");
                    }
                });
            }
        }, 0);
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
            Job job = jobs.computeIfAbsent(key, k -> new Job());
            boolean suspend = fd.getSpec() != null && fd.getSpec().getJob() != null && fd.getSpec().getJob().getState() == JobState.SUSPENDED;
            String specKey = specKey(fd);
            boolean alive = job.process != null && job.process.isAlive();
            if (suspend) {
                if (job.process != null) {
                    stop(job);
                    progress.step("flink", "FlinkDeployment " + key + ": suspended, job stopped");
                }
                job.specKey = specKey;
                writeStatus(fd, "SUSPENDED", "FINISHED", null, job);
                return;
            }
            if (alive && specKey.equals(job.specKey)) {
                return;
            }
            if (alive) {
                progress.step("flink", "FlinkDeployment " + key + ": spec changed (plan " + planHash(fd)
                        + "), restarting the job from its newest checkpoint");
                stop(job);
            } else if (job.pending != null && specKey.equals(job.specKey)) {
                return; // a restart after a failure is already scheduled
            }
            job.failures = specKey.equals(job.specKey) ? job.failures : 0;
            job.specKey = specKey;
            deploy(key, fd, job);
        } catch (RuntimeException e) {
            progress.error("flink", "FlinkDeployment " + key + ": " + e.getMessage());
        }
    }

    private void deploy(String key, FlinkDeployment fd, Job job) {
        if (job.pending != null) {
            job.pending.cancel(false);
            job.pending = null;
        }
        String ns = fd.getMetadata().getNamespace();
        String name = fd.getMetadata().getName();
        Path dir = pipelinesDir.resolve(ns).resolve(name);
        try {
            Container main = mainContainer(fd);
            List<String> args = new ArrayList<>();
            String[] specArgs = fd.getSpec().getJob() == null ? null : fd.getSpec().getJob().getArgs();
            Map<String, String> mounts = mountConfigMaps(fd, main, ns, dir);
            for (String a : specArgs == null ? new String[0] : specArgs) {
                args.add(rewrite(a, mounts));
            }
            for (String extra : extraArgs) {
                if (!args.contains(extra)) {
                    args.add(extra);
                }
            }
            // keep checkpoints across restarts and upgrades, and start from the newest one, like
            // the Flink operator's last-state/savepoint upgrade (removed analyses' state is dropped)
            Path checkpoints = dir.resolve("checkpoints");
            args.add("--checkpoint-dir");
            args.add(checkpoints.toUri().toString());
            latestCheckpoint(checkpoints).ifPresent(c -> {
                args.add("--restore");
                args.add(c.toUri().toString());
            });
            Map<String, String> env = environment(main, ns);
            job.jobId = UUID.randomUUID().toString().replace("-", "");
            job.startedAt = System.currentTimeMillis();
            ChildJvm process = launcher.start("pipeline " + key, args, env, dir, logsDir.resolve("pipeline-" + ns + "-" + name + ".log"));
            job.process = process;
            progress.step("flink", "FlinkDeployment " + key + ": job started (pid " + process.pid() + ", plan " + planHash(fd)
                    + ", log " + process.log() + ")");
            writeStatus(fd, "DEPLOYED", "RECONCILING", null, job);
            process.onExit().thenRun(() -> worker.submit(() -> exited(key, job, process)));
            worker.schedule(() -> progressed(key, job, process), runningAfterMs, TimeUnit.MILLISECONDS);
            worker.schedule(() -> progressed(key, job, process), stableAfterMs, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            progress.error("flink", "FlinkDeployment " + key + ": cannot start the job: " + e.getMessage());
            writeStatus(fd, "FAILED", "FAILED", "cannot start the job: " + e.getMessage(), job);
            scheduleRestart(key, job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The newest complete checkpoint ({@code <dir>/<job id>/chk-N/_metadata}) under a directory. */
    static java.util.Optional<Path> latestCheckpoint(Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return java.util.Optional.empty();
        }
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir, 2)) {
            return walk.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> java.nio.file.Files.isRegularFile(p.resolve("_metadata")))
                    .max(java.util.Comparator.comparingLong(p -> {
                        try {
                            return java.nio.file.Files.getLastModifiedTime(p.resolve("_metadata")).toMillis();
                        } catch (IOException e) {
                            return 0L;
                        }
                    }));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Time passing with the process alive: RECONCILING → RUNNING, then DEPLOYED → STABLE. */
    private void progressed(String key, Job job, ChildJvm process) {
        FlinkDeployment fd = informer.getIndexer().getByKey(key);
        if (fd == null || job.process != process || !process.isAlive()) {
            return;
        }
        long up = System.currentTimeMillis() - job.startedAt;
        writeStatus(fd, up >= stableAfterMs ? "STABLE" : "DEPLOYED", "RUNNING", null, job);
        if (up >= stableAfterMs) {
            job.failures = 0;
        }
    }

    private void exited(String key, Job job, ChildJvm process) {
        if (closing || process.stopping() || job.process != process) {
            return;
        }
        job.process = null;
        job.failures++;
        String error = "the job's process exited with code " + process.exitValue() + ": " + lastLines(process.log(), 3);
        progress.error("flink", "FlinkDeployment " + key + ": " + error);
        FlinkDeployment fd = informer.getIndexer().getByKey(key);
        if (fd != null) {
            writeStatus(fd, "FAILED", "FAILED", error, job);
            scheduleRestart(key, job);
        }
    }

    private void scheduleRestart(String key, Job job) {
        long delay = Math.min(60, restartDelaySeconds << Math.min(4, Math.max(0, job.failures - 1)));
        progress.step("flink", "FlinkDeployment " + key + ": restarting in " + delay + " s (failure " + job.failures + ")");
        job.pending = worker.schedule(() -> {
            job.pending = null;
            FlinkDeployment fd = informer.getIndexer().getByKey(key);
            if (fd != null && !closing && (job.process == null || !job.process.isAlive())) {
                job.specKey = null; // force a deploy
                reconcile(key);
            }
        }, delay, TimeUnit.SECONDS);
    }

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

    private static Container mainContainer(FlinkDeployment fd) {
        var pod = fd.getSpec().getPodTemplate();
        if (pod == null || pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return new Container();
        }
        return pod.getSpec().getContainers().stream().filter(c -> MAIN_CONTAINER.equals(c.getName())).findFirst().orElse(new Container());
    }

    /** Writes the keys of every ConfigMap the main container mounts into {@code dir}; returns mount path → local dir. */
    private Map<String, String> mountConfigMaps(FlinkDeployment fd, Container main, String ns, Path dir) throws IOException {
        Map<String, String> mounts = new LinkedHashMap<>();
        if (main.getVolumeMounts() == null || fd.getSpec().getPodTemplate().getSpec().getVolumes() == null) {
            return mounts;
        }
        Files.createDirectories(dir);
        for (VolumeMount m : main.getVolumeMounts()) {
            Volume v = fd.getSpec().getPodTemplate().getSpec().getVolumes().stream()
                    .filter(x -> m.getName().equals(x.getName())).findFirst().orElse(null);
            if (v == null || v.getConfigMap() == null) {
                continue;
            }
            String cmName = v.getConfigMap().getName();
            ConfigMap cm = client.configMaps().inNamespace(ns).withName(cmName).get();
            if (cm == null) {
                throw new IllegalStateException("ConfigMap " + ns + "/" + cmName + " (volume " + v.getName() + ") does not exist");
            }
            if (cm.getData() != null) {
                for (var e : cm.getData().entrySet()) {
                    Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
                }
            }
            mounts.put(m.getMountPath(), dir.toAbsolutePath().toString());
        }
        return mounts;
    }

    private static String rewrite(String arg, Map<String, String> mounts) {
        for (var m : mounts.entrySet()) {
            if (arg.startsWith(m.getKey() + "/")) {
                return m.getValue() + arg.substring(m.getKey().length());
            }
        }
        return arg;
    }

    /** The environment a pod's main container would get: {@code envFrom} first, then {@code env} values. */
    private Map<String, String> environment(Container main, String ns) {
        Map<String, String> env = new LinkedHashMap<>();
        if (main.getEnvFrom() != null) {
            for (EnvFromSource from : main.getEnvFrom()) {
                String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                if (from.getSecretRef() != null) {
                    Secret s = client.secrets().inNamespace(ns).withName(from.getSecretRef().getName()).get();
                    if (s == null && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
                        throw new IllegalStateException("Secret " + ns + "/" + from.getSecretRef().getName() + " does not exist");
                    }
                    if (s != null && s.getData() != null) {
                        s.getData().forEach((k, v) -> env.put(prefix + k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
                    }
                    if (s != null && s.getStringData() != null) {
                        s.getStringData().forEach((k, v) -> env.put(prefix + k, v));
                    }
                }
                if (from.getConfigMapRef() != null) {
                    ConfigMap cm = client.configMaps().inNamespace(ns).withName(from.getConfigMapRef().getName()).get();
                    if (cm != null && cm.getData() != null) {
                        cm.getData().forEach((k, v) -> env.put(prefix + k, v));
                    }
                }
            }
        }
        if (main.getEnv() != null) {
            for (EnvVar e : main.getEnv()) {
                if (e.getValue() != null) {
                    env.put(e.getName(), e.getValue());
                }
            }
        }
        return env;
    }

    /** The spec without {@code job.state}: a change here is an upgrade, a change of state alone is suspend/resume. */
    private String specKey(FlinkDeployment fd) {
        JsonNode spec = parse(client.getKubernetesSerialization().asJson(fd.getSpec()));
        if (spec instanceof ObjectNode o && o.get("job") instanceof ObjectNode j) {
            j.remove("state");
        }
        return spec.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String planHash(FlinkDeployment fd) {
        var pod = fd.getSpec() == null ? null : fd.getSpec().getPodTemplate();
        Map<String, String> a = pod == null || pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
        String hash = a == null ? null : a.get("pulse.dev/plan-hash");
        return hash == null ? "?" : hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    /** Status the way the Flink operator writes it, through the status subresource; only when it changed. */
    private void writeStatus(FlinkDeployment fd, String lifecycle, String jobState, String error, Job job) {
        String ns = fd.getMetadata().getNamespace();
        String name = fd.getMetadata().getName();
        for (int attempt = 0; attempt < 5; attempt++) {
            GenericKubernetesResource current = client.genericKubernetesResources(FLINK_DEPLOYMENTS).inNamespace(ns).withName(name).get();
            if (current == null) {
                return;
            }
            Map<String, Object> previous = status(current);
            Map<String, Object> jobStatus = new LinkedHashMap<>();
            jobStatus.put("jobName", "pulse " + name);
            if (job.jobId != null) {
                jobStatus.put("jobId", job.jobId);
            }
            jobStatus.put("state", jobState);
            if (job.startedAt > 0) {
                jobStatus.put("startTime", Long.toString(job.startedAt));
            }
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("lifecycleState", lifecycle);
            status.put("jobManagerDeploymentStatus", switch (lifecycle) {
                case "SUSPENDED" -> "MISSING";
                case "FAILED" -> "ERROR";
                case "DEPLOYED" -> "DEPLOYING";
                default -> "READY";
            });
            status.put("jobStatus", jobStatus);
            if (error != null) {
                status.put("error", error);
            }
            status.put("observedGeneration", current.getMetadata().getGeneration());
            Map<String, Object> reconciliation = new LinkedHashMap<>();
            reconciliation.put("state", "DEPLOYED");
            reconciliation.put("lastReconciledSpec", client.getKubernetesSerialization().asJson(current.getAdditionalProperties().get("spec")));
            status.put("reconciliationStatus", reconciliation);
            Map<String, Object> withoutTimes = new LinkedHashMap<>(status);
            if (previous != null && sameStatus(previous, withoutTimes)) {
                return;
            }
            jobStatus.put("updateTime", Long.toString(System.currentTimeMillis()));
            reconciliation.put("reconciliationTimestamp", System.currentTimeMillis());
            current.setAdditionalProperty("status", status);
            try {
                client.genericKubernetesResources(FLINK_DEPLOYMENTS).inNamespace(ns).resource(current).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    progress.error("flink", "status of FlinkDeployment " + ns + "/" + name + ": " + e.getMessage());
                    return;
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(GenericKubernetesResource r) {
        Object s = r.getAdditionalProperties().get("status");
        return s instanceof Map ? (Map<String, Object>) s : null;
    }

    @SuppressWarnings("unchecked")
    private static boolean sameStatus(Map<String, Object> previous, Map<String, Object> next) {
        Map<String, Object> p = new LinkedHashMap<>(previous);
        if (p.get("jobStatus") instanceof Map<?, ?> js) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) js);
            copy.remove("updateTime");
            p.put("jobStatus", copy);
        }
        if (p.get("reconciliationStatus") instanceof Map<?, ?> rs) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) rs);
            copy.remove("reconciliationTimestamp");
            p.put("reconciliationStatus", copy);
        }
        return JSON.valueToTree(p).equals(JSON.valueToTree(next));
    }

    private static void stop(Job job) {
        if (job.pending != null) {
            job.pending.cancel(false);
            job.pending = null;
        }
        if (job.process != null) {
            job.process.stop(20);
            job.process = null;
        }
    }

    /** The running jobs' processes (peak memory figures). */
    List<ChildJvm> processes() {
        List<ChildJvm> out = new ArrayList<>();
        for (Job j : jobs.values()) {
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
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Job j : jobs.values()) {
            stop(j);
        }
        jobs.clear();
    }
}
