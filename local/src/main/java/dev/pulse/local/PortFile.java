package dev.pulse.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@code .pulse/ports.properties}: the ports of the last run, taken again when free, because the
 * broker's metadata remembers its listeners and people remember the URLs.
 */
final class PortFile {
    static final String NAME = "ports.properties";
    static final String KAFKA = "kafka";
    static final String KAFKA_CONTROLLER = "kafka.controller";
    static final String POSTGRES = "postgres";
    static final String API = "api";

    private final Path file;
    private final Properties last = new Properties();

    private PortFile(Path file) {
        this.file = file;
    }

    /** The file in {@code dataDir}, as the last run left it (empty on a first run). */
    static PortFile in(Path dataDir) {
        PortFile ports = new PortFile(dataDir.resolve(NAME));
        try (var in = Files.newInputStream(ports.file)) {
            ports.last.load(in);
        } catch (IOException e) {
            // first run
        }
        return ports;
    }

    /** The last run's port of {@code key} when it is still free, else any free port. */
    int port(String key) {
        int preferred;
        try {
            preferred = Integer.parseInt(last.getProperty(key, "0"));
        } catch (NumberFormatException e) {
            preferred = 0;
        }
        return Ports.freeOr(preferred);
    }

    /** Records this run's ports. */
    void save(int kafka, int kafkaController, int postgres, int api) {
        Properties p = new Properties();
        p.setProperty(KAFKA, Integer.toString(kafka));
        p.setProperty(POSTGRES, Integer.toString(postgres));
        p.setProperty(API, Integer.toString(api));
        p.setProperty(KAFKA_CONTROLLER, Integer.toString(kafkaController));
        try (var out = Files.newOutputStream(file)) {
            p.store(out, "ports of the last run, reused when free (the broker's metadata remembers them)");
        } catch (IOException ignored) {
            // only a preference
        }
    }
}
