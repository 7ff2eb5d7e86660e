package dev.pulse.local;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * What the pod of a FlinkDeployment would see, on this machine: the ConfigMaps its main container
 * mounts, written into the job's directory (with {@code job.args} under a mount path pointed
 * there), and the environment of its {@code env} and {@code envFrom} Secrets and ConfigMaps.
 */
final class JobPod {
    static final String MAIN_CONTAINER = "flink-main-container";

    private final KubernetesClient client;

    JobPod(KubernetesClient client) {
        this.client = client;
    }

    /** {@code job.args}, paths under a ConfigMap mount rewritten to the copies written into {@code dir}. */
    List<String> arguments(FlinkDeployment fd, Path dir) throws IOException {
        Map<String, String> mounts = mountConfigMaps(fd, mainContainer(fd), dir);
        String[] specArgs = fd.getSpec().getJob() == null ? null : fd.getSpec().getJob().getArgs();
        List<String> args = new ArrayList<>();
        for (String a : specArgs == null ? new String[0] : specArgs) {
            args.add(rewrite(a, mounts));
        }
        return args;
    }

    private static Container mainContainer(FlinkDeployment fd) {
        var pod = fd.getSpec().getPodTemplate();
        if (pod == null || pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return new Container();
        }
        return pod.getSpec().getContainers().stream().filter(c -> MAIN_CONTAINER.equals(c.getName())).findFirst().orElse(new Container());
    }

    /** Writes the keys of every ConfigMap the main container mounts into {@code dir}; returns mount path → local dir. */
    private Map<String, String> mountConfigMaps(FlinkDeployment fd, Container main, Path dir) throws IOException {
        Map<String, String> mounts = new LinkedHashMap<>();
        if (main.getVolumeMounts() == null || fd.getSpec().getPodTemplate().getSpec().getVolumes() == null) {
            return mounts;
        }
        String ns = fd.getMetadata().getNamespace();
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

    /** The environment the main container would get: {@code envFrom} first, then {@code env} values. */
    Map<String, String> environment(FlinkDeployment fd) {
        Container main = mainContainer(fd);
        String ns = fd.getMetadata().getNamespace();
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
}
