package dev.pulse.local;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Map;

/** What {@code pulse get/describe} connect to: the API server of the running local stack. */
final class StackConnection {
    private StackConnection() {
    }

    static KubernetesClient connect(Path dataDir) {
        Map<String, Object> stack = StackFile.running(dataDir).orElseThrow(() -> new IllegalStateException(
                "no local stack is running (no live " + dataDir.resolve(StackFile.NAME) + "): start one with ./pulse local"));
        java.util.logging.Logger.getLogger("io.fabric8").setLevel(java.util.logging.Level.SEVERE);
        return ApiServer.client(String.valueOf(stack.get("apiServer")));
    }

    static Path dataDir() {
        String dir = System.getProperty("pulse.data", null);
        if (dir != null) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("pulse.home", ".")).toAbsolutePath().normalize().resolve(".pulse");
    }

    static void quiet() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
}
