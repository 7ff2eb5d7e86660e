package dev.pulse.api.validate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * One YAML document of a definitions file.
 *
 * @param file where it came from
 * @param index its position in the file (0-based)
 * @param kind its kind, or null when absent
 * @param name its metadata.name, or null when absent
 * @param namespace its namespace (the default namespace when it has none)
 * @param body the document, with the namespace filled in
 */
public record LoadedDocument(Path file, int index, String kind, String name, String namespace, ObjectNode body) {
    /** {@code Kind/name}, as problems name a resource. */
    public String resource() {
        return kind + "/" + name;
    }
}
