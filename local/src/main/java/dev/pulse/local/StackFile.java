package dev.pulse.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code .pulse/stack.json}: where the running local stack listens, for {@code pulse get/describe}
 * and for a second {@code pulse local} (which refuses to start beside a running one).
 */
final class StackFile {
    static final String NAME = "stack.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StackFile() {
    }

    static void write(Path dataDir, Map<String, Object> values) throws IOException {
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(NAME + ".tmp");
        JSON.writeValue(tmp.toFile(), new LinkedHashMap<>(values));
        Files.move(tmp, dataDir.resolve(NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> read(Path dataDir) {
        Path f = dataDir.resolve(NAME);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), Map.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The stack described by the file, if its process still runs. */
    static Optional<Map<String, Object>> running(Path dataDir) {
        return read(dataDir).filter(m -> m.get("pid") instanceof Number pid
                && ProcessHandle.of(pid.longValue()).map(ProcessHandle::isAlive).orElse(false));
    }

    static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(NAME));
        } catch (IOException ignored) {
            // best effort on the way out
        }
    }
}
