package dev.pulse.api.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads Pulse definitions from YAML files and directories (recursively, in name order). */
public final class DefinitionFiles {
    public static final String API_VERSION = "pulse.dev/v1alpha1";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private DefinitionFiles() {
    }

    /** Every YAML file under the given files and directories, sorted. */
    public static List<Path> yamlFiles(List<Path> roots) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile).filter(DefinitionFiles::isYaml).sorted().forEach(files::add);
                }
            } else {
                files.add(root);
            }
        }
        return files;
    }

    static boolean isYaml(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    /**
     * The Pulse documents of the files; documents of other API groups are skipped. A document that
     * cannot be read is reported through {@code unreadable}.
     */
    public static List<LoadedDocument> load(List<Path> files, String defaultNamespace, List<Finding> unreadable) throws IOException {
        List<LoadedDocument> docs = new ArrayList<>();
        for (Path file : files) {
            int index = 0;
            List<YamlPositions.Document> positions;
            try {
                positions = YamlPositions.read(file);
            } catch (IOException e) {
                unreadable.add(unreadable(file, e));
                continue;
            }
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                while (it.hasNext()) {
                    JsonNode node = it.next();
                    int i = index++;
                    if (node == null || node.isNull() || node.isMissingNode()) {
                        continue;
                    }
                    if (!node.isObject()) {
                        unreadable.add(new Finding(file.toString(), positions.get(i).locate(""), "", "", "document " + (i + 1) + " is not a YAML mapping"));
                        continue;
                    }
                    ObjectNode obj = (ObjectNode) node;
                    String apiVersion = obj.path("apiVersion").asText(null);
                    if (apiVersion == null || !apiVersion.startsWith("pulse.dev/")) {
                        continue;
                    }
                    String kind = obj.path("kind").asText(null);
                    JsonNode meta = obj.path("metadata");
                    String name = meta.path("name").isTextual() ? meta.path("name").asText() : null;
                    String ns = meta.path("namespace").isTextual() ? meta.path("namespace").asText() : defaultNamespace;
                    if (meta.isObject()) {
                        ((ObjectNode) meta).put("namespace", ns);
                    }
                    docs.add(new LoadedDocument(file, i, kind, name, ns, obj, positions.get(i)));
                }
            } catch (IOException e) {
                unreadable.add(unreadable(file, e));
            }
        }
        return docs;
    }

    /** A file that is not YAML, at the parser's position. */
    private static Finding unreadable(Path file, IOException e) {
        YamlPositions.Position at = YamlPositions.Position.UNKNOWN;
        String message = e.getMessage();
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
            at = YamlPositions.Position.of(j.getLocation());
            message = j.getOriginalMessage();
        }
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException y && y.getProblemMark() != null) {
            // where the parser found the problem, and what it was (e.g. "while parsing a flow sequence: expected ',' or ']'")
            at = new YamlPositions.Position(y.getProblemMark().getLine() + 1, y.getProblemMark().getColumn() + 1);
            message = (y.getContext() == null ? "" : y.getContext() + ": ") + y.getProblem();
        }
        return new Finding(file.toString(), at, "", "", "not valid YAML: " + String.valueOf(message).lines().findFirst().orElse(""));
    }
}
