package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the health.lua (charts/pulse/argocd/) with LuaJ (Lua 5.1, like Argo CD) for every kind against the
 * status fixtures in src/test/resources/health/. A fixture's file name starts with the health it
 * must get (Healthy-, Progressing-, Degraded-, Suspended-); fixtures directly in health/ apply to
 * every kind, those in health/<kind>/ to that kind only.
 */
class ArgoHealthTest {
    static final List<String> KINDS = List.of("EventStream", "Metric", "Funnel", "Retention");
    private static final Path FIXTURES = Repo.root().resolve("e2e/src/test/resources/health");

    /** One script for every kind: they share the status contract. */
    static final Path SCRIPT = Repo.chart().resolve("argocd/health.lua");

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String kind : KINDS) {
            List<Path> fixtures = new ArrayList<>(list(FIXTURES));
            fixtures.addAll(list(FIXTURES.resolve(kind.toLowerCase())));
            for (Path f : fixtures) {
                out.add(Arguments.of(kind, f.getFileName().toString().replace(".yaml", ""), f));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void healthOfFixture(String kind, String fixture, Path file) throws IOException {
        ObjectNode obj = (ObjectNode) Rendered.YAML.readTree(file.toFile());
        obj.put("apiVersion", "pulse.dev/v1alpha1");
        obj.put("kind", kind);
        String expected = fixture.substring(0, fixture.indexOf('-'));

        LuaValue hs = run(kind, obj);
        assertThat(hs.get("status").tojstring()).as(kind + " " + fixture + ": " + hs.get("message")).isEqualTo(expected);
        assertThat(hs.get("message").isstring()).as("a message for " + fixture).isTrue();
    }

    /** Every health status Argo CD knows the scripts can return is covered, for every kind. */
    @ParameterizedTest
    @MethodSource("kinds")
    void fixturesCoverEveryHealthStatus(String kind) throws IOException {
        List<String> covered = cases().filter(a -> kind.equals(a.get()[0])).map(a -> (String) a.get()[1])
                .map(n -> n.substring(0, n.indexOf('-')))
                .distinct().collect(Collectors.toList());
        assertThat(covered).contains("Healthy", "Progressing", "Degraded", "Suspended");
        assertThat(Files.isRegularFile(SCRIPT)).isTrue();
    }

    static Stream<String> kinds() {
        return KINDS.stream();
    }

    static LuaValue run(String kind, JsonNode obj) {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(obj));
        LuaValue chunk = globals.load(Repo.read(SCRIPT), "health.lua");
        return chunk.call();
    }

    /** JSON as Argo CD hands it to Lua: objects and arrays as tables (arrays 1-based), null as nil. */
    static LuaValue toLua(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return LuaValue.NIL;
        }
        if (node.isObject()) {
            LuaTable t = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                t.set(e.getKey(), toLua(e.getValue()));
            }
            return t;
        }
        if (node.isArray()) {
            LuaTable t = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                t.set(i + 1, toLua(node.get(i)));
            }
            return t;
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        if (node.isIntegralNumber()) {
            return LuaValue.valueOf(node.asLong());
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        return LuaValue.valueOf(node.asText());
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        }
    }
}
