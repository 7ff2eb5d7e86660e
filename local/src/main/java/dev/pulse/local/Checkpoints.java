package dev.pulse.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A job's checkpoints, kept under its directory across restarts and upgrades: a new start restores
 * the newest, like the Flink operator's last-state upgrade.
 */
final class Checkpoints {
    private Checkpoints() {
    }

    /** The newest complete checkpoint ({@code <dir>/<job id>/chk-N/_metadata}) under {@code dir}. */
    static Optional<Path> latest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> walk = Files.walk(dir, 2)) {
            return walk.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .max(Comparator.comparingLong(Checkpoints::completedAt));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static long completedAt(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata")).toMillis();
        } catch (IOException e) {
            return 0L;
        }
    }
}
