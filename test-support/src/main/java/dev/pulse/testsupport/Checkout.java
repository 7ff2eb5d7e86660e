package dev.pulse.testsupport;

import java.nio.file.Path;

/** The repository checkout a test runs in: surefire sets {@code pulse.home} to the module's parent. */
public final class Checkout {
    private Checkout() {
    }

    public static Path root() {
        return Path.of(System.getProperty("pulse.home", "..")).toAbsolutePath().normalize();
    }
}
