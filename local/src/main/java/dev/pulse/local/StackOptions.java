package dev.pulse.local;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code pulse local} was asked for (its options are declared with the {@code pulse} command
 * in cli/).
 *
 * @param home the checkout: {@code crds/}, {@code samples/} and the built modules
 * @param dataDir where data and logs live
 * @param definitions the directory applied and watched
 * @param rate shop events per second (daily average), 0 for none
 * @param reset whether to delete the data of earlier runs first
 * @param events event files to load into streams' topics before the pipelines start ({@link EventFiles})
 */
record StackOptions(Path home, Path dataDir, Path definitions, double rate, boolean reset, List<EventFiles.Load> events) {
    /** Options without event files. */
    StackOptions(Path home, Path dataDir, Path definitions, double rate, boolean reset) {
        this(home, dataDir, definitions, rate, reset, List.of());
    }

    /** Options with the defaults of a checkout: {@code samples/} and {@code .pulse/} under {@code home}. */
    static StackOptions of(Path home, Path definitions, double rate, boolean reset, Path dataDir, List<String> events) {
        Path data = dataDir == null ? home.resolve(".pulse") : dataDir;
        Path defs = definitions == null ? home.resolve("samples") : definitions;
        return new StackOptions(home, data.toAbsolutePath(), defs.toAbsolutePath(), rate, reset,
                events.stream().map(EventFiles.Load::parse).toList());
    }
}
