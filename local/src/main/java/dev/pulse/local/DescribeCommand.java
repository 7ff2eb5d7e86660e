package dev.pulse.local;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code pulse describe KIND NAME [-n NS]} against the running local stack, like kubectl describe:
 * the spec, conditions, pipeline, lag, freshness, drift, anomalies, and recent Events.
 */
public final class DescribeCommand {
    static final String USAGE = "usage: pulse describe KIND NAME [-n NAMESPACE]\n"
            + "  KIND: eventstream|es, metric|mt, funnel|fn, retention|rt, kafkatopic|kt, flinkdeployment|flinkdep\n";

    private DescribeCommand() {
    }

    public static void main(String[] args) {
        StackConnection.quiet();
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String namespace = LocalStack.NAMESPACE;
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("-n") || args[i].equals("--namespace")) && i + 1 < args.length) {
                namespace = args[++i];
            } else if (args[i].equals("-h") || args[i].equals("--help")) {
                out.print(USAGE);
                return 0;
            } else {
                positional.add(args[i]);
            }
        }
        if (positional.size() == 1 && positional.get(0).contains("/")) {
            String[] p = positional.get(0).split("/", 2);
            positional = List.of(p[0], p[1]);
        }
        if (positional.size() != 2) {
            err.print(USAGE);
            return 2;
        }
        var kind = PulseKinds.byName(positional.get(0));
        if (kind.isEmpty()) {
            err.print("pulse describe: unknown kind '" + positional.get(0) + "'\n" + USAGE);
            return 2;
        }
        try (KubernetesClient client = StackConnection.connect(StackConnection.dataDir())) {
            GenericKubernetesResource r = client.genericKubernetesResources(kind.get().context()).inNamespace(namespace)
                    .withName(positional.get(1)).get();
            if (r == null) {
                err.println("Error from server (NotFound): " + kind.get().plural() + " \"" + positional.get(1) + "\" not found");
                return 1;
            }
            List<Event> events = client.v1().events().inNamespace(namespace).list().getItems().stream()
                    .filter(e -> e.getInvolvedObject() != null && r.getMetadata().getName().equals(e.getInvolvedObject().getName())
                            && r.getKind().equals(e.getInvolvedObject().getKind()))
                    .sorted(Comparator.comparing(DescribeCommand::eventTime)).toList();
            describe(client, r, events, out);
            return 0;
        } catch (IllegalStateException e) {
            err.println("pulse describe: " + e.getMessage());
            return 1;
        }
    }

    static void describe(KubernetesClient client, GenericKubernetesResource r, List<Event> events, PrintStream out) {
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
                GetCommand.print(rows, out);
            }
            for (String section : List.of("pipeline", "lag", "freshness", "drift", "anomalies", "jobStatus")) {
                Object v = status.get(section);
                if (v != null) {
                    out.printf("  %s:%n", Character.toUpperCase(section.charAt(0)) + section.substring(1));
                    indent(yaml.asYaml(v), out, "    ");
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
            GetCommand.print(rows, out);
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

    private static String str(Object o) {
        return o == null ? "-" : String.valueOf(o).replace('\n', ' ');
    }

    private static void indent(String yaml, PrintStream out) {
        indent(yaml, out, "  ");
    }

    private static void indent(String yaml, PrintStream out, String prefix) {
        for (String line : yaml.split("\n")) {
            if (line.equals("---")) {
                continue;
            }
            out.println(prefix + line);
        }
    }
}
