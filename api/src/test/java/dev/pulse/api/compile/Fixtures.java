package dev.pulse.api.compile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pulse.api.validate.DefinitionValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Resources from YAML text, for compiler tests. */
public final class Fixtures {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static final String STREAM = """
            apiVersion: pulse.dev/v1alpha1
            kind: EventStream
            metadata: {name: shop-events, namespace: growth}
            spec:
              kafka: {topic: shop-events, retention: 7d}
              eventTypeField: event
              actorField: user_id
              timestamp: {field: ts, format: epochMillis}
              fields:
                - {name: platform, type: string}
                - {name: country, type: string}
                - {name: amount, type: double}
                - {name: quantity, type: long}
                - {name: first_order, type: boolean}
            """;

    public static final String ORDERS = """
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: orders, namespace: growth}
            spec:
              stream: shop-events
              description: orders per minute
              owner: growth
              events: [purchase]
              where:
                - {field: amount, operator: Gt, value: "100"}
              aggregation: {type: count}
              dimensions: [platform]
              window: {type: tumbling, size: 1m}
            """;

    public static final String FUNNEL = """
            apiVersion: pulse.dev/v1alpha1
            kind: Funnel
            metadata: {name: checkout, namespace: growth}
            spec:
              stream: shop-events
              steps:
                - {name: viewed, events: [product_view]}
                - {name: carted, events: [add_to_cart]}
                - {name: bought, events: [purchase]}
              conversionWindow: 30m
              exclusions: [{events: [cart_cleared], fromStep: 2, toStep: 3}]
              dimensions: [country]
              window: {type: tumbling, size: 1h}
            """;
    public static final String RETENTION = """
            apiVersion: pulse.dev/v1alpha1
            kind: Retention
            metadata: {name: buyers, namespace: growth}
            spec:
              stream: shop-events
              cohort: {events: [signup]}
              return: {events: [purchase]}
              period: 1d
              periods: 7
            """;

    private Fixtures() {
    }

    public static List<HasMetadata> load(String... yamls) {
        List<HasMetadata> out = new ArrayList<>();
        for (String yaml : yamls) {
            for (String doc : yaml.split("(?m)^---\\s*$")) {
                if (doc.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = YAML.readTree(doc);
                    out.add(YAML.convertValue(node, DefinitionValidator.typeOf(node.path("kind").asText())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    /** The YAML with one line replaced, for variations. */
    public static String with(String yaml, String from, String to) {
        if (!yaml.contains(from)) {
            throw new IllegalArgumentException("fixture has no '" + from + "'");
        }
        return yaml.replace(from, to);
    }

    static ObjectNode node(String yaml) {
        try {
            return (ObjectNode) YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
