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
 * @param positions where its fields are in the file
 */
public record LoadedDocument(Path file, int index, String kind, String name, String namespace, ObjectNode body,
        YamlPositions.Document positions) {
    /** {@code Kind/name}, as problems name a resource. */
    public String resource() {
        return kind + "/" + name;
    }

    /** A problem of this document at a field path. */
    public Finding finding(String field, String message) {
        return new Finding(file.toString(), positions.locate(field), resource(), field, message);
    }
}
