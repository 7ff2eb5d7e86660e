package dev.pulse.local;

import dev.pulse.cli.Columns;
import dev.pulse.cli.StackCommands;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code pulse describe KIND NAME [-n NS]} against the running local stack, like kubectl describe:
 * the spec, conditions, pipeline, lag, freshness, input (an EventStream's records not counted), drift,
 * anomalies, and recent Events.
 */
final class ResourceDescription {
    private ResourceDescription() {
    }

    static int print(StackCommands.Describe request, PrintWriter out, PrintWriter err) {
        PulseKinds.Kind kind = PulseKinds.named(request.kind());
        String namespace = request.namespace();
        try (KubernetesClient client = StackConnection.connect(StackConnection.dataDir())) {
            GenericKubernetesResource r = client.genericKubernetesResources(kind.context()).inNamespace(namespace)
                    .withName(request.name()).get();
            if (r == null) {
                err.println("Error from server (NotFound): " + kind.plural() + " \"" + request.name() + "\" not found");
                return 1;
            }
            List<Event> events = client.v1().events().inNamespace(namespace).list().getItems().stream()
                    .filter(e -> e.getInvolvedObject() != null && r.getMetadata().getName().equals(e.getInvolvedObject().getName())
                            && r.getKind().equals(e.getInvolvedObject().getKind()))
                    .sorted(Comparator.comparing(ResourceDescription::eventTime)).toList();
            describe(client, r, events, out);
            return 0;
        } catch (IllegalStateException e) {
            err.println("pulse describe: " + e.getMessage());
            return 1;
        }
    }

    static void describe(KubernetesClient client, GenericKubernetesResource r, List<Event> events, PrintWriter out) {
        describe(client, r, events, out, java.time.Instant.now());
    }

    /** As above, with the ages of the figures counted to {@code now}. */
    static void describe(KubernetesClient client, GenericKubernetesResource r, List<Event> events, PrintWriter out, java.time.Instant now) {
        var yaml = client.getKubernetesSerialization();
        out.printf("Name:         %s%n", r.getMetadata().getName());
        out.printf("Namespace:    %s%n", r.getMetadata().getNamespace());
        out.printf("Kind:         %s (%s)%n", r.getKind(), r.getApiVersion());
        out.printf("Generation:   %s%n", r.getMetadata().getGeneration());
        out.printf("Created:      %s (%s ago)%n", r.getMetadata().getCreationTimestamp(), PulseKinds.age(r));
        if (r.getMetadata().getLabels() != null && !r.getMetadata().getLabels().isEmpty()) {
            out.printf("Labels:       %s%n", r.getMetadata().getLabels());
        }
        if (r.getMetadata().getOwnerReferences() != null && !r.getMetadata().getOwnerReferences().isEmpty()) {
            r.getMetadata().getOwnerReferences().forEach(o -> out.printf("Owned by:     %s %s%n", o.getKind(), o.getName()));
        }
        out.printf("Deletion:     %s%n", deletion(r));
        if (r.getMetadata().getDeletionTimestamp() != null) {
            out.printf("Deleting:     since %s, waiting for %s%n", r.getMetadata().getDeletionTimestamp(), r.getMetadata().getFinalizers());
        }
        out.println("Spec:");
        indent(yaml.asYaml(r.getAdditionalProperties().get("spec")), out);
        Map<String, Object> status = PulseKinds.status(r);
        out.println("Status:");
        if (status.isEmpty()) {
            out.println("  (none yet)");
        } else {
            out.printf("  Observed generation:  %s%n", status.getOrDefault("observedGeneration", "-"));
            Object conditions = status.get("conditions");
            if (conditions instanceof List<?> list && !list.isEmpty()) {
                out.println("  Conditions:");
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"    Type", "Status", "Reason", "Since", "Message"});
                for (Object o : list) {
                    if (o instanceof Map<?, ?> c) {
                        rows.add(new String[] {"    " + str(c.get("type")), str(c.get("status")), str(c.get("reason")),
                                str(c.get("lastTransitionTime")), str(c.get("message"))});
                    }
                }
                Columns.print(rows, out);
            }
            for (String section : List.of("pipeline", "lag", "freshness", "input", "drift", "anomalies", "jobStatus")) {
                Object v = status.get(section);
                String title = Character.toUpperCase(section.charAt(0)) + section.substring(1);
                if (v instanceof Map<?, ?> m && m.isEmpty()) {
                    out.printf("  %s: --- (%s)%n", title, "freshness".equals(section) ? "no final window yet" : "nothing measured yet");
                } else if (v != null) {
                    out.printf("  %s:%n", title);
                    indent(yaml.asYaml(v), out, "    ");
                    if (("lag".equals(section) || "freshness".equals(section)) && v instanceof Map<?, ?> m && m.get("asOf") != null) {
                        out.printf("    (%s)%n", asOf(String.valueOf(m.get("asOf")), Boolean.TRUE.equals(m.get("stale")), now));
                    }
                }
            }
            if (status.get("pipelineLags") instanceof List<?> lags && !lags.isEmpty()) {
                // an EventStream: the lag of each pipeline reading it, each with its age
                out.println("  Pipeline lags:");
                for (Object o : lags) {
                    if (o instanceof Map<?, ?> m) {
                        out.printf("    %s (group %s): %s rec/%s (%s)%n", str(m.get("pipeline")), str(m.get("consumerGroup")),
                                m.get("records") == null ? "?" : m.get("records"), m.get("seconds") == null ? "?" : m.get("seconds") + "s",
                                m.get("asOf") == null ? "not measured yet" : asOf(String.valueOf(m.get("asOf")), Boolean.TRUE.equals(m.get("stale")), now));
                    }
                }
            }
            for (String field : List.of("lifecycleState", "topicName", "error")) {
                if (status.get(field) != null) {
                    out.printf("  %s: %s%n", field, status.get(field));
                }
            }
        }
        out.println("Events:");
        if (events.isEmpty()) {
            out.println("  <none>");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"  Type", "Reason", "When", "Count", "Message"});
            for (Event e : events.subList(Math.max(0, events.size() - 10), events.size())) {
                rows.add(new String[] {"  " + str(e.getType()), str(e.getReason()), eventTime(e),
                        str(e.getCount() == null ? 1 : e.getCount()), str(e.getMessage())});
            }
            Columns.print(rows, out);
        }
    }

    /** "as of 14:32:44, 35s ago" (UTC), with ", stale: its probe failed" when the operator marked the figure stale. */
    static String asOf(String asOf, boolean stale, java.time.Instant now) {
        String staleText = stale ? ", stale: its probe failed (see condition Probing)" : "";
        try {
            java.time.Instant at = java.time.Instant.parse(asOf);
            return "as of " + java.time.format.DateTimeFormatter.ISO_LOCAL_TIME.format(at.atOffset(java.time.ZoneOffset.UTC).toLocalTime()
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)) + ", " + PulseKinds.human(java.time.Duration.between(at, now)) + " ago"
                    + staleText;
        } catch (RuntimeException e) {
            return "as of " + asOf + staleText;
        }
    }

    private static String eventTime(Event e) {
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
            return e.getEventTime().getTime();
        }
        return e.getMetadata().getCreationTimestamp() == null ? "" : e.getMetadata().getCreationTimestamp();
    }

    /** The resource's deletionPolicy (unset: Retain) and what deleting the resource would do to its data. */
    static String deletion(GenericKubernetesResource r) {
        Object spec = r.getAdditionalProperties().get("spec");
        Object policy = spec instanceof Map<?, ?> m ? m.get("deletionPolicy") : null;
        boolean delete = "Delete".equals(policy);
        boolean stream = "EventStream".equals(r.getKind());
        String what = stream ? (delete ? "deleting it deletes the KafkaTopics Pulse created, with their records"
                : "deleting it keeps its topics and their records (released: Strimzi no longer manages them)")
                : (delete ? "deleting it drops its serving tables and deletes its result topic"
                        : "deleting it retires its serving tables (dropped after serving.retention) and keeps its result topic");
        return (delete ? "Delete" : "Retain") + (policy == null ? " (default)" : "") + ": " + what;
    }

    private static String str(Object o) {
        return o == null ? "-" : String.valueOf(o).replace('\n', ' ');
    }

    private static void indent(String yaml, PrintWriter out) {
        indent(yaml, out, "  ");
    }

    private static void indent(String yaml, PrintWriter out, String prefix) {
        for (String line : yaml.split("\n")) {
            if (line.equals("---")) {
                continue;
            }
            out.println(prefix + line);
        }
    }
}
