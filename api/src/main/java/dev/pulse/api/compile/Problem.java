package dev.pulse.api.compile;

/**
 * One thing wrong with a definition.
 *
 * @param resource {@code Kind/name} of the resource at fault
 * @param namespace its namespace
 * @param field the field path, e.g. {@code spec.where[0].value}
 * @param message what is wrong and what would be valid
 */
public record Problem(String resource, String namespace, String field, String message) {
    @Override
    public String toString() {
        return resource + ": " + field + ": " + message;
    }
}
