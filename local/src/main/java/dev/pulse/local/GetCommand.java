package dev.pulse.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code pulse get [KIND [NAME]] [-n NS | -A]} against the running local stack, like kubectl get:
 * without a kind, every Pulse resource; columns READY, REASON, LAG, FRESHNESS, AGE (and for
 * KafkaTopics and FlinkDeployments what Strimzi and the Flink operator report).
 */
public final class GetCommand {
    static final String USAGE = """
            usage: pulse get [KIND [NAME]] [-n NAMESPACE | -A]
              KIND: eventstreams|es, metrics|mt, funnels|fn, retentions|rt, kafkatopics|kt, flinkdeployments|flinkdep
                    (default: the four Pulse kinds)
            """;

    private GetCommand() {
    }

    public static void main(String[] args) {
        StackConnection.quiet();
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String namespace = LocalStack.NAMESPACE;
        boolean all = false;
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-n", "--namespace" -> {
                    if (++i >= args.length) {
                        err.print("pulse get: -n needs a namespace\n" + USAGE);
                        return 2;
                    }
                    namespace = args[i];
                }
                case "-A", "--all-namespaces" -> all = true;
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> positional.add(args[i]);
            }
        }
        List<PulseKinds.Kind> kinds = PulseKinds.PULSE;
        if (!positional.isEmpty()) {
            var kind = PulseKinds.byName(positional.get(0));
            if (kind.isEmpty()) {
                err.print("pulse get: unknown kind '" + positional.get(0) + "'\n" + USAGE);
                return 2;
            }
            kinds = List.of(kind.get());
        }
        String name = positional.size() > 1 ? positional.get(1) : null;
        try (KubernetesClient client = StackConnection.connect(StackConnection.dataDir())) {
            List<String[]> rows = new ArrayList<>();
            rows.add(all ? new String[] {"NAMESPACE", "NAME", "READY", "REASON", "LAG", "FRESHNESS", "AGE"}
                    : new String[] {"NAME", "READY", "REASON", "LAG", "FRESHNESS", "AGE"});
            for (PulseKinds.Kind kind : kinds) {
                var op = client.genericKubernetesResources(kind.context());
                List<GenericKubernetesResource> items = new ArrayList<>();
                if (name != null) {
                    GenericKubernetesResource r = op.inNamespace(namespace).withName(name).get();
                    if (r == null) {
                        err.println("Error from server (NotFound): " + kind.plural() + " \"" + name + "\" not found");
                        return 1;
                    }
                    items.add(r);
                } else {
                    items.addAll(all ? op.inAnyNamespace().list().getItems() : op.inNamespace(namespace).list().getItems());
                }
                items.sort(Comparator.comparing((GenericKubernetesResource r) -> r.getMetadata().getNamespace())
                        .thenComparing(r -> r.getMetadata().getName()));
                for (GenericKubernetesResource r : items) {
                    rows.add(row(kind, r, all));
                }
            }
            if (rows.size() == 1) {
                out.println("No resources found" + (all ? "" : " in " + namespace + " namespace") + ".");
                return 0;
            }
            print(rows, out);
            return 0;
        } catch (IllegalStateException e) {
            err.println("pulse get: " + e.getMessage());
            return 1;
        }
    }

    private static String[] row(PulseKinds.Kind kind, GenericKubernetesResource r, boolean all) {
        String ready;
        String reason;
        String lag = PulseKinds.lag(r);
        String fresh = PulseKinds.freshness(r);
        if (kind == PulseKinds.FLINK_DEPLOYMENT) {
            Object lifecycle = PulseKinds.path(PulseKinds.status(r), "lifecycleState");
            Object job = PulseKinds.path(PulseKinds.status(r), "jobStatus", "state");
            ready = "STABLE".equals(lifecycle) && "RUNNING".equals(job) ? "True" : lifecycle == null ? "Unknown" : "False";
            reason = (lifecycle == null ? "-" : lifecycle) + "/" + (job == null ? "-" : job);
        } else {
            ready = PulseKinds.ready(r);
            reason = PulseKinds.reason(r);
        }
        String name = kind.names().get(0) + "/" + r.getMetadata().getName();
        return all ? new String[] {r.getMetadata().getNamespace(), name, ready, reason, lag, fresh, PulseKinds.age(r)}
                : new String[] {name, ready, reason, lag, fresh, PulseKinds.age(r)};
    }

    static void print(List<String[]> rows, PrintStream out) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                b.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 3) + "s", row[i]));
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
