package dev.pulse.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the stack keeps its data between runs ({@code .pulse/}): the broker's log, the PostgreSQL
 * cluster, the pipelines' plans and checkpoints, the logs. Only data: what the {@code pulse}
 * script builds stays in each module's {@code target/}, so a reset never costs a rebuild.
 */
final class DataDirectory {
    private final Path root;

    DataDirectory(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path resolve(String part) {
        return root.resolve(part);
    }

    Path logs() {
        return root.resolve("logs");
    }

    /**
     * Library logs (broker, API server, clients) go to {@code logs/stack.log}, warnings and up; set
     * before the first logger is made.
     */
    void routeLibraryLogs() {
        try {
            Files.createDirectories(logs());
        } catch (IOException ignored) {
            // then slf4j-simple falls back to stderr
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", logs().resolve("stack.log").toString());
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }

    /** Deletes everything of earlier runs. */
    void reset() throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
