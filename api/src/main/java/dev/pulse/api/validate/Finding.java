package dev.pulse.api.validate;

/**
 * A problem found in a definitions file, printed as
 * {@code <file>:<line>:<col>: <Kind>/<name>: <field path>: <message>}; the position is the YAML
 * node of the field (or of the nearest enclosing node present, for a missing field), and is left
 * out when unknown.
 */
public record Finding(String file, int line, int column, String resource, String field, String message) {
    public Finding(String file, YamlPositions.Position at, String resource, String field, String message) {
        this(file, at.line(), at.column(), resource, field, message);
    }

    /** {@code <file>:<line>:<col>}, or the file alone when the position is unknown. */
    public String where() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }

    /** The line printed: position, then resource and field path when there are, then the message. */
    @Override
    public String toString() {
        return where() + ": " + (resource.isEmpty() ? "" : resource + ": ") + (field.isEmpty() ? "" : field + ": ") + message;
    }
}
