package dev.pulse.api.validate;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each node of a YAML file's documents starts (line and column, 1-based), by field path
 * ({@code spec.steps[1].event}), so a problem can point at its line. A mapping entry's position is
 * its key's; a sequence item's is the item's.
 */
public final class YamlPositions {
    /** A place in a file; line 0 when unknown. */
    public record Position(int line, int column) {
        public static final Position UNKNOWN = new Position(0, 0);

        /** A parser's location; unknown when it has none. */
        public static Position of(JsonLocation l) {
            return l == null || l.getLineNr() < 1 ? UNKNOWN : new Position(l.getLineNr(), Math.max(1, l.getColumnNr()));
        }
    }

    /** The positions of one document, by field path ("" is the document itself). */
    public static final class Document {
        private final Map<String, Position> byPath = new HashMap<>();

        /**
         * The position of the field, or of its nearest ancestor present in the document (a missing
         * required field points at the mapping that lacks it).
         */
        public Position locate(String fieldPath) {
            String path = fieldPath == null || fieldPath.equals("(root)") ? "" : fieldPath;
            while (true) {
                Position p = byPath.get(path);
                if (p != null || path.isEmpty()) {
                    return p != null ? p : Position.UNKNOWN;
                }
                path = parent(path);
            }
        }

        static String parent(String path) {
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            return cut < 0 ? "" : path.substring(0, cut);
        }
    }

    private YamlPositions() {
    }

    /** The documents of a file in order, as Jackson's YAML reader sees them (one per root value). */
    public static List<Document> read(Path file) throws IOException {
        List<Document> docs = new ArrayList<>();
        try (JsonParser p = DefinitionFiles.YAML.getFactory().createParser(file.toFile())) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                Document doc = new Document();
                walk(p, t, "", Position.of(p.currentTokenLocation()), doc);
                docs.add(doc);
            }
        }
        return docs;
    }

    /** Records the value starting at the current token at {@code path}, and everything in it. */
    private static void walk(JsonParser p, JsonToken t, String path, Position at, Document doc) throws IOException {
        doc.byPath.putIfAbsent(path, at);
        if (t == JsonToken.START_OBJECT) {
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                Position key = Position.of(p.currentTokenLocation());
                JsonToken value = p.nextToken();
                walk(p, value, path.isEmpty() ? name : path + "." + name, key, doc);
            }
        } else if (t == JsonToken.START_ARRAY) {
            int i = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                walk(p, t, path + "[" + i++ + "]", Position.of(p.currentTokenLocation()), doc);
            }
        }
    }
}
