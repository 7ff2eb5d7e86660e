package dev.pulse.api.validate;

/**
 * A problem found in a definitions file, printed as {@code <file>: <Kind>/<name>: <field path>: <message>}.
 */
public record Finding(String file, String resource, String field, String message) {
    @Override
    public String toString() {
        return file + ": " + resource + ": " + field + ": " + message;
    }
}
