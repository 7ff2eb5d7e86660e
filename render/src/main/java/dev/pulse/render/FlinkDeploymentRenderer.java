package dev.pulse.render;

import dev.pulse.api.plan.DeadLetters;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.FlinkVersion;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobState;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;

/**
 * A pipeline's FlinkDeployment: its template, plus what the operator owns — name, labels, the
 * job's entry point and arguments (the plan, the dead-letter topic), parallelism, suspend,
 * allowNonRestoredState, the durable state storage of the operator's configuration (when set), the
 * plan mounted from its ConfigMap, the plan hash, the namespace's own database Secret and the
 * restricted pod security context; Flink's Prometheus reporter on a port named
 * {@code metrics} unless the template configures it. The hash goes on the object (for people) and on the pod template (a spec
 * change, so the Flink operator upgrades the job through a savepoint when the plan changes).
 */
public final class FlinkDeploymentRenderer {
    public static final String MAIN_CONTAINER = "flink-main-container";
    public static final String PLAN_DIR = "/opt/pulse/plan";
    public static final String JAR_URI = "local:///opt/flink/usrlib/pulse-pipeline.jar";
    public static final String ENTRY_CLASS = "dev.pulse.pipeline.PipelineJob";
    static final String PLAN_VOLUME = "pulse-plan";
    /** Flink's Prometheus reporter (its jar is in the Flink image's plugins/metrics-prometheus directory). */
    static final String PROMETHEUS_REPORTER = "metrics.reporter.prom.factory.class";
    static final String PROMETHEUS_REPORTER_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
    static final String PROMETHEUS_PORT = "metrics.reporter.prom.port";
    /** The port of the job's Prometheus metrics, named {@link #METRICS_PORT_NAME} on the main container. */
    public static final int METRICS_PORT = 9249;
    public static final String METRICS_PORT_NAME = "metrics";
    /** The uid and gid of the user {@code flink} in Flink's images. */
    public static final long FLINK_UID = 9999L;

    private final RenderSettings settings;
    private final TopicRenderer topics;

    public FlinkDeploymentRenderer(RenderSettings settings) {
        this.settings = settings;
        this.topics = new TopicRenderer(settings);
    }

    /**
     * @param template a fresh copy of the stream's template; it is modified and returned
     * @param malformedDeadLetters whether this pipeline writes the stream's malformed records to the
     *     dead-letter topic: one of a stream's pipelines does (the operator's choice), so
     *     each is a dead letter once; the others get {@code --malformed-dead-letters false}
     */
    public FlinkDeployment render(EventStream stream, PipelinePlan plan, FlinkDeployment template, boolean malformedDeadLetters) {
        FlinkDeployment fd = template;
        fd.setStatus(null); // new FlinkDeployment() carries a default status: never send one
        ObjectMeta meta = fd.getMetadata() == null ? new ObjectMeta() : fd.getMetadata();
        meta.setName(plan.pipeline());
        meta.setNamespace(stream.getMetadata().getNamespace());
        Map<String, String> labels = new TreeMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.putAll(Labels.of(stream.getMetadata().getName(), Labels.ROLE_PIPELINE));
        labels.put(Labels.PIPELINE, plan.pipeline());
        meta.setLabels(labels);
        Map<String, String> annotations = new TreeMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        // what the job executes: a serving-only change (retention, rollups) updates the plan, not the job
        annotations.put(Labels.PLAN_HASH, plan.jobHash());
        meta.setAnnotations(annotations);
        fd.setMetadata(meta);

        FlinkDeploymentSpec spec = fd.getSpec() == null ? new FlinkDeploymentSpec() : fd.getSpec();
        if (spec.getFlinkVersion() == null) {
            spec.setFlinkVersion(FlinkVersion.v1_20);
        }
        if (spec.getImage() == null || spec.getImage().isBlank()) {
            spec.setImage(settings.image());
        }
        JobSpec job = spec.getJob() == null ? new JobSpec() : spec.getJob();
        if (job.getJarURI() == null) {
            job.setJarURI(JAR_URI);
        }
        if (job.getEntryClass() == null) {
            job.setEntryClass(ENTRY_CLASS);
        }
        if (job.getUpgradeMode() == null) {
            job.setUpgradeMode(UpgradeMode.SAVEPOINT);
        }
        // a changed or removed analysis leaves state in the savepoint that no operator claims: the
        // restore must skip it instead of failing every analysis of the stream
        job.setAllowNonRestoredState(true);
        List<String> args = new ArrayList<>(List.of("--plan", PLAN_DIR + "/" + PlanConfigMapRenderer.PLAN_KEY,
                "--dead-letter-topic", DeadLetters.topic(plan.stream().topic())));
        if (!malformedDeadLetters) {
            args.addAll(List.of("--malformed-dead-letters", "false"));
        }
        job.setArgs(args.toArray(String[]::new));
        job.setParallelism(plan.stream().parallelism());
        job.setState(plan.stream().suspend() ? JobState.SUSPENDED : JobState.RUNNING);
        spec.setJob(job);
        Map<String, String> conf = new LinkedHashMap<>(spec.getFlinkConfiguration() == null ? Map.of() : spec.getFlinkConfiguration());
        conf.putAll(new TreeMap<>(settings.state().flinkConfiguration()));
        // the job's counters (events, malformedRecords, lateEvents) for Prometheus, unless the template
        // configures that reporter itself; the PodMonitor of the chart scrapes the named port
        conf.putIfAbsent(PROMETHEUS_REPORTER, PROMETHEUS_REPORTER_FACTORY);
        conf.putIfAbsent(PROMETHEUS_PORT, Integer.toString(METRICS_PORT));
        spec.setFlinkConfiguration(conf);
        spec.setPodTemplate(podTemplate(spec.getPodTemplate(), stream, plan, conf));
        fd.setSpec(spec);
        return fd;
    }

    /** The reporter's port: a single port of the configuration, else the default (a range cannot be named). */
    private static int metricsPort(Map<String, String> conf) {
        try {
            return Integer.parseInt(conf.getOrDefault(PROMETHEUS_PORT, "").trim());
        } catch (NumberFormatException e) {
            return METRICS_PORT;
        }
    }

    private PodTemplateSpec podTemplate(PodTemplateSpec existing, EventStream stream, PipelinePlan plan, Map<String, String> conf) {
        PodTemplateSpec pod = existing == null ? new PodTemplateSpec() : existing;
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        Map<String, String> annotations = new TreeMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        annotations.put(Labels.PLAN_HASH, plan.jobHash());
        meta.setAnnotations(annotations);
        // the chart's PodMonitor finds the job's pods by these
        Map<String, String> labels = new TreeMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.put(Labels.PART_OF, "pulse");
        labels.put(Labels.STREAM, stream.getMetadata().getName());
        labels.put(Labels.PIPELINE, plan.pipeline());
        meta.setLabels(labels);
        pod.setMetadata(meta);

        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        List<Container> containers = new ArrayList<>(spec.getContainers() == null ? List.of() : spec.getContainers());
        Container main = containers.stream().filter(c -> MAIN_CONTAINER.equals(c.getName())).findFirst().orElseGet(() -> {
            Container c = new Container();
            c.setName(MAIN_CONTAINER);
            containers.add(c);
            return c;
        });
        List<VolumeMount> mounts = new ArrayList<>(main.getVolumeMounts() == null ? List.of() : main.getVolumeMounts());
        mounts.removeIf(m -> PLAN_VOLUME.equals(m.getName()));
        mounts.add(new VolumeMountBuilder().withName(PLAN_VOLUME).withMountPath(PLAN_DIR).withReadOnly(true).build());
        main.setVolumeMounts(mounts);
        List<ContainerPort> ports = new ArrayList<>(main.getPorts() == null ? List.of() : main.getPorts());
        if (ports.stream().noneMatch(p -> METRICS_PORT_NAME.equals(p.getName()))) {
            ports.add(new ContainerPortBuilder().withName(METRICS_PORT_NAME).withContainerPort(metricsPort(conf)).withProtocol("TCP").build());
        }
        main.setPorts(ports);
        List<EnvVar> env = new ArrayList<>(main.getEnv() == null ? List.of() : main.getEnv());
        env.removeIf(e -> e.getName().startsWith("PULSE_"));
        env.add(new EnvVar("PULSE_KAFKA_BOOTSTRAP_SERVERS", settings.bootstrapServers().replace("{cluster}", topics.cluster(stream)), null));
        env.add(new EnvVar("PULSE_PIPELINE", plan.pipeline(), null));
        main.setEnv(env);
        var envFrom = new ArrayList<>(main.getEnvFrom() == null ? List.of() : main.getEnvFrom());
        envFrom.removeIf(e -> e.getSecretRef() != null && settings.databaseSecret().equals(e.getSecretRef().getName()));
        envFrom.add(new EnvFromSourceBuilder().withNewSecretRef(settings.databaseSecret(), true).build());
        String credentials = settings.state().credentialsSecret();
        if (credentials != null) {
            envFrom.removeIf(e -> e.getSecretRef() != null && credentials.equals(e.getSecretRef().getName()));
            // not optional: without its credentials the job could not reach its state storage
            envFrom.add(new EnvFromSourceBuilder().withNewSecretRef(credentials, false).build());
        }
        main.setEnvFrom(envFrom);
        spec.setContainers(containers);

        List<Volume> volumes = new ArrayList<>(spec.getVolumes() == null ? List.of() : spec.getVolumes());
        volumes.removeIf(v -> PLAN_VOLUME.equals(v.getName()));
        volumes.add(new VolumeBuilder().withName(PLAN_VOLUME).withNewConfigMap()
                .withName(PlanConfigMapRenderer.name(plan.pipeline())).endConfigMap().build());
        spec.setVolumes(volumes);
        restrict(spec);
        pod.setSpec(spec);
        return pod;
    }

    /**
     * The restricted Pod Security Standard on the pod and every container of its template: never
     * root (Flink's image user, uid and gid {@value #FLINK_UID}, unless the template names another
     * non-root user), the runtime's default seccomp profile, no privilege escalation, no capabilities.
     * A template may add settings but cannot loosen these.
     */
    static void restrict(PodSpec spec) {
        PodSecurityContext pod = spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
        pod.setRunAsNonRoot(true);
        if (pod.getRunAsUser() == null || pod.getRunAsUser() == 0) {
            pod.setRunAsUser(FLINK_UID);
        }
        if (pod.getRunAsGroup() == null) {
            pod.setRunAsGroup(FLINK_UID);
        }
        if (pod.getFsGroup() == null) {
            pod.setFsGroup(FLINK_UID);
        }
        if (pod.getSeccompProfile() == null || !"Localhost".equals(pod.getSeccompProfile().getType())) {
            pod.setSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build());
        }
        spec.setSecurityContext(pod);
        List<Container> all = new ArrayList<>(spec.getContainers() == null ? List.of() : spec.getContainers());
        all.addAll(spec.getInitContainers() == null ? List.of() : spec.getInitContainers());
        for (Container c : all) {
            SecurityContext sc = c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
            sc.setRunAsNonRoot(true);
            if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
                sc.setRunAsUser(null);
            }
            sc.setPrivileged(false);
            sc.setAllowPrivilegeEscalation(false);
            sc.setCapabilities(new CapabilitiesBuilder().withDrop("ALL").build());
            c.setSecurityContext(sc);
        }
    }
}
