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
    public static List<LoadedDocument> load(List<Path> files, String defaultNamespace, List<String> unreadable) throws IOException {
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
                        unreadable.add(file + ": document " + (i + 1) + ": not a YAML mapping");
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

    /** {@code <file>:<line>:<col>: not valid YAML: <first line of the parser's message>}. */
    private static String unreadable(Path file, IOException e) {
        String where = file.toString();
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null && j.getLocation().getLineNr() > 0) {
            where += ":" + j.getLocation().getLineNr() + ":" + Math.max(1, j.getLocation().getColumnNr());
        }
        String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return where + ": not valid YAML: " + String.valueOf(message).lines().findFirst().orElse("");
    }
}
