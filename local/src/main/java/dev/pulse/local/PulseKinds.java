package dev.pulse.local;

import dev.pulse.cli.StackCommands;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The resource kinds {@code pulse get/describe} and the status board know, and how to read their status. */
final class PulseKinds {
    /** A kind: its API, plural, and the names people type. */
    record Kind(String kind, String group, String version, String plural, List<String> names) {
        ResourceDefinitionContext context() {
            return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                    .withPlural(plural).withNamespaced(true).build();
        }

        boolean analysis() {
            return group.equals("pulse.dev") && !kind.equals("EventStream");
        }
    }

    static final Kind EVENT_STREAM = new Kind("EventStream", "pulse.dev", "v1alpha1", "eventstreams", List.of("eventstream", "evs"));
    static final Kind METRIC = new Kind("Metric", "pulse.dev", "v1alpha1", "metrics", List.of("metric", "mt"));
    static final Kind FUNNEL = new Kind("Funnel", "pulse.dev", "v1alpha1", "funnels", List.of("funnel", "fn"));
    static final Kind RETENTION = new Kind("Retention", "pulse.dev", "v1alpha1", "retentions", List.of("retention", "rt"));
    static final Kind KAFKA_TOPIC = new Kind("KafkaTopic", "kafka.strimzi.io", "v1", "kafkatopics", List.of("kafkatopic", "kt"));
    static final Kind FLINK_DEPLOYMENT = new Kind("FlinkDeployment", "flink.apache.org", "v1beta1", "flinkdeployments",
            List.of("flinkdeployment", "flinkdep"));
    static final List<Kind> PULSE = List.of(EVENT_STREAM, METRIC, FUNNEL, RETENTION);
    static final List<Kind> ALL = List.of(EVENT_STREAM, METRIC, FUNNEL, RETENTION, KAFKA_TOPIC, FLINK_DEPLOYMENT);

    private PulseKinds() {
    }

    static Optional<Kind> byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(k -> k.plural().equals(n) || k.names().contains(n) || k.kind().toLowerCase(Locale.ROOT).equals(n))
                .findFirst();
    }

    /** The kind {@code name} names, as {@code pulse get/describe} take it. */
    static Kind named(String name) {
        return byName(name).orElseThrow(() -> new StackCommands.UnknownKind(name));
    }

    static Optional<Kind> byKind(String kind) {
        return ALL.stream().filter(k -> k.kind().equals(kind)).findFirst();
    }

    @SuppressWarnings("unchecked")
    static Object path(Object node, String... keys) {
        Object n = node;
        for (String k : keys) {
            if (!(n instanceof Map)) {
                return null;
            }
            n = ((Map<String, Object>) n).get(k);
        }
        return n;
    }

    static Map<String, Object> status(GenericKubernetesResource r) {
        Object s = r.getAdditionalProperties().get("status");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = s instanceof Map ? (Map<String, Object>) s : Map.of();
        return m;
    }

    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> condition(GenericKubernetesResource r, String type) {
        Object conditions = status(r).get("conditions");
        if (conditions instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map && type.equals(((Map<String, Object>) c).get("type"))) {
                    return Optional.of((Map<String, Object>) c);
                }
            }
        }
        return Optional.empty();
    }

    static String ready(GenericKubernetesResource r) {
        return condition(r, "Ready").map(c -> String.valueOf(c.get("status"))).orElse("Unknown");
    }

    static String reason(GenericKubernetesResource r) {
        return condition(r, "Ready").map(c -> c.get("reason") == null ? "-" : String.valueOf(c.get("reason"))).orElse("-");
    }

    /** Lag as "records/seconds", or "-". */
    static String lag(GenericKubernetesResource r) {
        return lag(r, Instant.now());
    }

    /** Lag as "N rec/Ms", followed by " (stale AGE)" when the operator marked it stale (its probe failed). */
    static String lag(GenericKubernetesResource r, Instant now) {
        Object records = path(status(r), "lag", "records");
        Object seconds = path(status(r), "lag", "seconds");
        if (records == null && seconds == null) {
            return "-";
        }
        return (records == null ? "?" : records) + " rec/" + (seconds == null ? "?" : seconds + "s") + stale(r, "lag", now);
    }

    static String freshness(GenericKubernetesResource r) {
        return freshness(r, Instant.now());
    }

    /** Freshness as "Ns" behind, or "-"; followed by " (stale AGE)" when the operator marked it stale. */
    static String freshness(GenericKubernetesResource r, Instant now) {
        Object behind = path(status(r), "freshness", "secondsBehind");
        return behind == null ? "-" : behind + "s" + stale(r, "freshness", now);
    }

    /** " (stale AGE)" when {@code status.<figure>.stale} is true, AGE since its {@code asOf} ("?" if unknown); else "". */
    static String stale(GenericKubernetesResource r, String figure, Instant now) {
        if (!Boolean.TRUE.equals(path(status(r), figure, "stale"))) {
            return "";
        }
        Object asOf = path(status(r), figure, "asOf");
        try {
            return " (stale " + (asOf == null ? "?" : human(Duration.between(Instant.parse(asOf.toString()), now))) + ")";
        } catch (RuntimeException e) {
            return " (stale ?)";
        }
    }

    static String age(GenericKubernetesResource r) {
        String created = r.getMetadata().getCreationTimestamp();
        if (created == null) {
            return "-";
        }
        try {
            return human(Duration.between(Instant.parse(created), Instant.now()));
        } catch (RuntimeException e) {
            return "-";
        }
    }

    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return (s / 60) + "m";
        }
        if (s < 172800) {
            return (s / 3600) + "h";
        }
        return (s / 86400) + "d";
    }
}
