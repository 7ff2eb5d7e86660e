package dev.pulse.api.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluates a schema's {@code x-kubernetes-validations} rules offline, as the API server would. */
final class CelRules {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder().setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private CelRules() {
    }

    static void check(JsonNode schema, JsonNode value, String path, List<String[]> out) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            String expr = rule.path("rule").asText();
            try {
                Object result = RUNTIME.createProgram(COMPILER.compile(expr).getAst()).eval(Map.of("self", toCel(schema, value)));
                if (!Boolean.TRUE.equals(result)) {
                    out.add(new String[] {at(path, rule), rule.path("message").asText("failed rule: " + expr)});
                }
            } catch (Exception e) {
                out.add(new String[] {at(path, rule), rule.path("message").asText("failed rule: " + expr)});
            }
        }
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode child = schema.path("properties").path(e.getKey());
                if (child.isMissingNode() && schema.path("additionalProperties").isObject()) {
                    child = schema.path("additionalProperties");
                }
                if (!child.isMissingNode()) {
                    check(child, e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "[" + i + "]", out);
            }
        }
    }

    /** Where a failed rule is reported: its {@code fieldPath} (relative to the rule's node, e.g. {@code .percentile}) when it has one. */
    private static String at(String path, JsonNode rule) {
        String relative = rule.path("fieldPath").asText("");
        String full = relative.isEmpty() ? path : path + (path.isEmpty() ? relative.replaceFirst("^\\.", "") : relative);
        return full.isEmpty() ? "(root)" : full;
    }

    /** JSON to CEL values, typed by the schema (numbers declared as number are doubles). */
    private static Object toCel(JsonNode schema, JsonNode value) {
        if (value.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            value.fields().forEachRemaining(e -> {
                JsonNode child = schema.path("properties").path(e.getKey());
                if (child.isMissingNode()) {
                    child = schema.path("additionalProperties");
                }
                if (!e.getValue().isNull()) {
                    map.put(e.getKey(), toCel(child, e.getValue()));
                }
            });
            return map;
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            value.forEach(v -> list.add(toCel(schema.path("items"), v)));
            return list;
        }
        if (value.isNumber()) {
            return "number".equals(schema.path("type").asText()) ? (Object) value.asDouble() : (Object) value.asLong();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.asText();
    }
}
