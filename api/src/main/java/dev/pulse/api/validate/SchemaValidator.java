package dev.pulse.api.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a resource against its CRD's openAPIV3Schema offline, as the API server would with
 * strict field validation: types, required fields, enums, patterns, bounds, unknown fields, and
 * the {@code x-kubernetes-validations} CEL rules.
 */
public final class SchemaValidator {
    /** Kind → CRD resource generated from the code. */
    private static final Map<String, String> CRDS = Map.of(
            "EventStream", "eventstreams", "Metric", "metrics", "Funnel", "funnels", "Retention", "retentions");
    private final Map<String, JsonNode> schemas = new LinkedHashMap<>();
    private final Map<String, JsonSchema> compiled = new LinkedHashMap<>();

    public SchemaValidator() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        CRDS.forEach((kind, plural) -> {
            JsonNode schema = load(plural).path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
            schemas.put(kind, schema);
            JsonNode strict = schema.deepCopy();
            strictify(strict, true);
            compiled.put(kind, factory.getSchema(strict));
        });
    }

    /** The kinds this validator knows. */
    public static boolean knows(String kind) {
        return CRDS.containsKey(kind);
    }

    private static JsonNode load(String plural) {
        String path = "/META-INF/fabric8/" + plural + ".pulse.dev-v1.yml";
        try (InputStream in = SchemaValidator.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("CRD " + path + " is not on the classpath");
            }
            return DefinitionFiles.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Problems as (field path, message); empty when the document fits its schema. */
    public List<String[]> validate(String kind, ObjectNode document) {
        List<String[]> out = new ArrayList<>();
        JsonSchema schema = compiled.get(kind);
        ObjectNode doc = document.deepCopy();
        doc.remove("status");
        for (ValidationMessage m : schema.validate(doc)) {
            String path = m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
            String msg = m.getMessage();
            int colon = msg.indexOf(": ");
            if (msg.startsWith("$") && colon > 0) {
                msg = msg.substring(colon + 2);
            }
            if ("pattern".equals(m.getType()) && dev.pulse.api.v1alpha1.common.Durations.PATTERN.equals(m.getSchemaNode().asText())) {
                msg = "'" + m.getInstanceNode().asText() + "' is not a duration: a whole number and a unit s, m, h or d (e.g. 30s, 5m, 1h, 7d)";
            } else if ("pattern".equals(m.getType())) {
                msg = "'" + m.getInstanceNode().asText() + "' " + msg;
            }
            if ("required".equals(m.getType()) && m.getProperty() != null) {
                // at the missing field's own path, as the API server reports it
                path = path.isEmpty() ? m.getProperty() : path + "." + m.getProperty();
                msg = "required field '" + m.getProperty() + "' is missing";
            }
            if ("additionalProperties".equals(m.getType())) {
                path = path.isEmpty() ? m.getProperty() : path + "." + m.getProperty();
                msg = "unknown field '" + m.getProperty() + "'";
            }
            out.add(new String[] {path.isEmpty() ? "(root)" : path, msg});
        }
        if (out.isEmpty()) {
            CelRules.check(schemas.get(kind), doc, "", out);
        }
        return out;
    }

    /**
     * Rejects unknown fields (structural schemas prune them; kubectl's strict validation reports
     * them) and drops the Kubernetes extensions the JSON-schema validator does not know.
     */
    private static void strictify(JsonNode node, boolean root) {
        if (!node.isObject()) {
            return;
        }
        ObjectNode obj = (ObjectNode) node;
        for (Iterator<String> it = obj.fieldNames(); it.hasNext();) {
            if (it.next().startsWith("x-kubernetes-")) {
                it.remove();
            }
        }
        if (obj.has("properties") && !obj.has("additionalProperties") && !root) {
            obj.put("additionalProperties", false);
        }
        obj.path("properties").forEach(child -> strictify(child, false));
        if (obj.has("items")) {
            strictify(obj.get("items"), false);
        }
        if (obj.get("additionalProperties") != null && obj.get("additionalProperties").isObject()) {
            strictify(obj.get("additionalProperties"), false);
        }
        if (root && obj.path("properties").has("metadata")) {
            ((ObjectNode) obj.path("properties")).remove("metadata");
        }
    }
}
