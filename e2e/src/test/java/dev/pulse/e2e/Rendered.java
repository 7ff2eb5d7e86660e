package dev.pulse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The chart as `helm template` renders it, parsed: the defaults, and every optional part on. */
final class Rendered {
    static final String RELEASE = "pulse";
    static final String NAMESPACE = "pulse-system";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

    final String name;
    final String text;
    final List<JsonNode> objects;

    private Rendered(String name, String text, List<JsonNode> objects) {
        this.name = name;
        this.text = text;
        this.objects = objects;
    }

    /** What a cluster with the Prometheus Operator serves: the monitoring objects render only then (or when forced). */
    static final String PROMETHEUS_OPERATOR = "--api-versions=monitoring.coreos.com/v1";

    /** The default values, in a cluster with the Prometheus Operator. */
    static Rendered defaults() {
        return CACHE.computeIfAbsent("defaults", n -> render(n, PROMETHEUS_OPERATOR));
    }

    /** values-full.yaml: namespaced watch, two replicas, batch sources, templates, NetworkPolicy, dashboard. */
    static Rendered full() {
        return CACHE.computeIfAbsent("full", n -> render(n, PROMETHEUS_OPERATOR, "--values",
                Repo.root().resolve("e2e/src/test/resources/values-full.yaml").toString()));
    }

    /** Both renderings, for assertions that must hold whatever the values. */
    static List<Rendered> all() {
        return List.of(defaults(), full());
    }

    /** Renders with extra helm arguments (--set, --values, --include-crds). */
    static Rendered render(String name, String... args) {
        List<String> command = Tools.cmd(Tools.helm(), "template", RELEASE, Repo.chart().toString(), "--namespace", NAMESPACE);
        command.addAll(List.of(args));
        Tools.Result result = Tools.runOk(Repo.root(), command);
        return new Rendered(name, result.stdout(), parse(result.stdout()));
    }

    /** The onboarding chart (charts/pulse-namespace) installed into a team namespace, with extra helm arguments. */
    static Rendered onboarding(String namespace, String... args) {
        List<String> command = Tools.cmd(Tools.helm(), "template", namespace, Repo.root().resolve("charts/pulse-namespace").toString(),
                "--namespace", namespace);
        command.addAll(List.of(args));
        Tools.Result result = Tools.runOk(Repo.root(), command);
        return new Rendered("onboarding " + namespace, result.stdout(), parse(result.stdout()));
    }

    static List<JsonNode> parse(String yaml) {
        try (var parser = YAML.getFactory().createParser(yaml)) {
            List<JsonNode> docs = new ArrayList<>();
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<JsonNode> ofKind(String... kinds) {
        List<String> wanted = List.of(kinds);
        return objects.stream().filter(o -> wanted.contains(o.path("kind").asText())).collect(Collectors.toList());
    }

    JsonNode one(String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.path("metadata").path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the " + this.name + " rendering"));
    }

    static String id(JsonNode o) {
        JsonNode m = o.path("metadata");
        return o.path("kind").asText() + " " + (m.has("namespace") ? m.path("namespace").asText() + "/" : "") + m.path("name").asText();
    }

    @Override
    public String toString() {
        return name;
    }
}
