package dev.pulse.local;

import java.nio.file.Path;

/** The repository the tests run in (surefire sets pulse.home to the module's parent). */
final class TestHome {
    private TestHome() {
    }

    static Path home() {
        return Path.of(System.getProperty("pulse.home", "..")).toAbsolutePath().normalize();
    }

    static Path crds() {
        return home().resolve("crds");
    }

    static Path samples() {
        return home().resolve("samples");
    }
}
