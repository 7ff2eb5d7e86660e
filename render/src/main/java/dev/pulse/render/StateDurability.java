package dev.pulse.render;

import dev.pulse.api.plan.PipelinePlan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;

/**
 * Whether a rendered FlinkDeployment keeps its checkpoints and savepoints where they survive the
 * pod replacements of every upgrade and restart. Read from what the Flink operator will get (the
 * template with the operator's state settings written over it), so there is one answer whatever
 * set the directories.
 *
 * <p>Durable: a directory on a distributed filesystem ({@link #DURABLE_SCHEMES}), or a
 * {@code file://} or bare absolute path that lies on a {@code persistentVolumeClaim} volume mounted
 * into the {@code flink-main-container} of both the JobManager and the TaskManager pods (the
 * spec's {@code podTemplate} together with {@code jobManager.podTemplate} and
 * {@code taskManager.podTemplate}). Anything else (no directory, a path on no volume or on an
 * {@code emptyDir}, a relative path, an unknown scheme) is lost with the pod.
 *
 * <p>A template may say that losing the state is acceptable (a laptop, a demo) with the annotation
 * {@value #ANNOTATION}{@code : "allowed"} in its {@code metadata.annotations}.
 */
public final class StateDurability {
    /** On a template's metadata: its pipelines may keep state that a pod replacement loses. */
    public static final String ANNOTATION = "pulse.dev/ephemeral-state";
    public static final String ALLOWED = "allowed";
    /** Flink filesystems whose directories outlive every pod. */
    public static final Set<String> DURABLE_SCHEMES = Set.of("s3", "s3a", "s3p", "gs", "abfs", "abfss", "wasb", "wasbs", "oss",
            "hdfs", "viewfs");
    /** The state directories, in the order they are checked. */
    public static final List<String> DIRECTORIES = List.of(RenderSettings.StateStorage.CHECKPOINTS_DIR,
            RenderSettings.StateStorage.SAVEPOINTS_DIR);

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):(.*)$");

    /**
     * A state directory that does not survive its pod.
     *
     * @param key the Flink setting ({@code state.checkpoints.dir} or {@code state.savepoints.dir})
     * @param value its value, or null when not set
     * @param why what makes it ephemeral
     */
    public record EphemeralDirectory(String key, String value, String why) {
    }

    private StateDurability() {
    }

    /**
     * Refuses a pipeline that keeps state (it has at least one analysis: every Pulse analysis does)
     * in a directory a pod replacement loses, unless its template allows that.
     *
     * @param rendered the pipeline's FlinkDeployment as the operator would write it
     * @param template the name of the template it was rendered from, for the message
     * @throws EphemeralStateException naming the pipeline, the directory and the ways out
     */
    public static void requireDurable(FlinkDeployment rendered, PipelinePlan plan, String template) {
        if (plan.analyses().isEmpty() || ephemeralAllowed(rendered)) {
            return;
        }
        firstEphemeral(rendered).ifPresent(dir -> {
            throw new EphemeralStateException(plan.pipeline(), template, dir);
        });
    }

    /** Whether the template the FlinkDeployment was rendered from allows state that a pod replacement loses. */
    public static boolean ephemeralAllowed(FlinkDeployment fd) {
        Map<String, String> annotations = fd.getMetadata() == null ? null : fd.getMetadata().getAnnotations();
        return annotations != null && ALLOWED.equals(annotations.get(ANNOTATION));
    }

    /** The first state directory of the FlinkDeployment that is not durable; empty when both are. */
    public static Optional<EphemeralDirectory> firstEphemeral(FlinkDeployment fd) {
        FlinkDeploymentSpec spec = fd.getSpec();
        Map<String, String> conf = spec == null || spec.getFlinkConfiguration() == null ? Map.of() : spec.getFlinkConfiguration();
        for (String key : DIRECTORIES) {
            Optional<String> why = whyEphemeral(conf.get(key), spec);
            if (why.isPresent()) {
                return Optional.of(new EphemeralDirectory(key, conf.get(key), why.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> whyEphemeral(String dir, FlinkDeploymentSpec spec) {
        if (dir == null || dir.isBlank()) {
            return Optional.of("it is not set");
        }
        String value = dir.trim();
        Matcher m = SCHEME.matcher(value);
        String path;
        if (m.matches()) {
            String scheme = m.group(1).toLowerCase(Locale.ROOT);
            if (DURABLE_SCHEMES.contains(scheme)) {
                return Optional.empty();
            }
            if (!"file".equals(scheme)) {
                return Optional.of("'" + scheme + "://' is not a filesystem Pulse knows to be durable");
            }
            path = localPath(m.group(2));
        } else {
            path = value;
        }
        if (!path.startsWith("/")) {
            return Optional.of("it is a relative path in the pod");
        }
        String normalized = normalize(path);
        for (String role : List.of("jobManager", "taskManager")) {
            Optional<String> why = whyNotOnClaim(normalized, spec, role);
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    /** The path of a {@code file:} URI's remainder: {@code ///x}, {@code //host/x} and {@code /x} all give {@code /x}. */
    private static String localPath(String rest) {
        if (!rest.startsWith("//")) {
            return rest;
        }
        int slash = rest.indexOf('/', 2);
        return slash < 0 ? "" : rest.substring(slash);
    }

    private static Optional<String> whyNotOnClaim(String path, FlinkDeploymentSpec spec, String role) {
        PodTemplateSpec common = spec.getPodTemplate();
        PodTemplateSpec own = "jobManager".equals(role)
                ? spec.getJobManager() == null ? null : spec.getJobManager().getPodTemplate()
                : spec.getTaskManager() == null ? null : spec.getTaskManager().getPodTemplate();
        // the Flink operator merges the role's pod template over the common one
        Map<String, VolumeMount> mounts = new LinkedHashMap<>();
        Map<String, Volume> volumes = new LinkedHashMap<>();
        for (PodTemplateSpec pod : new PodTemplateSpec[] {common, own}) {
            if (pod == null || pod.getSpec() == null) {
                continue;
            }
            for (Volume v : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
                volumes.put(v.getName(), v);
            }
            for (Container c : pod.getSpec().getContainers() == null ? List.<Container>of() : pod.getSpec().getContainers()) {
                if (FlinkDeploymentRenderer.MAIN_CONTAINER.equals(c.getName()) && c.getVolumeMounts() != null) {
                    c.getVolumeMounts().stream().filter(vm -> vm.getMountPath() != null && vm.getMountPath().startsWith("/"))
                            .forEach(vm -> mounts.put(normalize(vm.getMountPath()), vm));
                }
            }
        }
        // the most specific mount holding the path is where it is written
        String holder = null;
        for (String mountPath : mounts.keySet()) {
            if (contains(mountPath, path) && (holder == null || mountPath.length() > holder.length())) {
                holder = mountPath;
            }
        }
        if (holder == null) {
            return Optional.of("it is a local path on no volume of the " + role + " pod");
        }
        VolumeMount mount = mounts.get(holder);
        Volume volume = volumes.get(mount.getName());
        if (volume == null || volume.getPersistentVolumeClaim() == null) {
            String kind = volume == null ? "an undeclared volume" : volume.getEmptyDir() != null ? "an emptyDir volume" : "a volume";
            return Optional.of("it is a local path on " + kind + " ('" + mount.getName() + "' at " + mount.getMountPath()
                    + ") of the " + role + " pod, not a persistentVolumeClaim");
        }
        return Optional.empty();
    }

    private static boolean contains(String mountPath, String path) {
        return path.equals(mountPath) || mountPath.equals("/") || path.startsWith(mountPath + "/");
    }

    /** An absolute path without {@code .}, {@code ..}, repeated or trailing slashes. */
    static String normalize(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(part);
            }
        }
        return "/" + String.join("/", parts);
    }
}
