package dev.pulse.e2e;

import dev.pulse.testsupport.Checkout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where things are: the repository root (one up from e2e/), the chart, a scratch directory. */
final class Repo {
    private Repo() {
    }

    static Path root() {
        return Checkout.root();
    }

    static Path chart() {
        return root().resolve("charts/pulse");
    }

    static Path work(String name) {
        Path dir = Path.of(System.getProperty("pulse.work", "target/e2e-work")).toAbsolutePath().resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
