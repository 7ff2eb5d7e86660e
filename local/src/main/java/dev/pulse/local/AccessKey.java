package dev.pulse.local;

import dev.pulse.testsupport.LocalAccessPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * {@code .pulse/access-key}: the key the running stack signs its tokens with
 * ({@link LocalAccessPolicy}), readable by its owner only, so {@code pulse token -n NS} can sign a
 * token of the same stack. Each stack draws a new key: tokens of an earlier run are not valid.
 */
final class AccessKey {
    static final String NAME = "access-key";

    private AccessKey() {
    }

    static void write(Path dataDir, LocalAccessPolicy policy) throws IOException {
        Path f = dataDir.resolve(NAME);
        Files.deleteIfExists(f);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, Base64.getEncoder().encodeToString(policy.key()), StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The policy of the running stack whose data is in {@code dataDir}. */
    static LocalAccessPolicy read(Path dataDir) throws IOException {
        StackFile.running(dataDir).orElseThrow(() -> new IllegalStateException(
                "no local stack is running (no live " + dataDir.resolve(StackFile.NAME) + "): start one with ./pulse local"));
        return LocalAccessPolicy.ofKey(Base64.getDecoder().decode(Files.readString(dataDir.resolve(NAME)).trim()));
    }

    static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(NAME));
        } catch (IOException ignored) {
            // best effort on the way out
        }
    }
}
