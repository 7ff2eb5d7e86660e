package dev.pulse.render;

import java.util.Map;
import java.util.TreeMap;

/** Labels and annotations on everything the operator creates; informers select on them. */
public final class Labels {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "pulse-operator";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String STREAM = "pulse.dev/stream";
    public static final String PIPELINE = "pulse.dev/pipeline";
    public static final String ROLE = "pulse.dev/role";
    public static final String METRIC = "pulse.dev/metric";
    public static final String STRIMZI_CLUSTER = "strimzi.io/cluster";
    public static final String PLAN_HASH = "pulse.dev/plan-hash";

    public static final String ROLE_INPUT_TOPIC = "input-topic";
    public static final String ROLE_RESULT_TOPIC = "result-topic";
    public static final String ROLE_DEAD_LETTER_TOPIC = "dead-letter-topic";
    public static final String ROLE_PLAN = "plan";
    public static final String ROLE_PIPELINE = "pipeline";
    public static final String ROLE_DASHBOARD = "dashboard";
    /** The kube-prometheus-stack Grafana sidecar loads ConfigMaps with this label (value "1"). */
    public static final String GRAFANA_DASHBOARD = "grafana_dashboard";

    private static final String MANAGED = MANAGED_BY + "=" + OPERATOR + "," + ROLE + "=";
    public static final String INPUT_TOPIC_SELECTOR = MANAGED + ROLE_INPUT_TOPIC;
    public static final String RESULT_TOPIC_SELECTOR = MANAGED + ROLE_RESULT_TOPIC;
    public static final String DEAD_LETTER_TOPIC_SELECTOR = MANAGED + ROLE_DEAD_LETTER_TOPIC;
    public static final String PLAN_SELECTOR = MANAGED + ROLE_PLAN;
    public static final String PIPELINE_SELECTOR = MANAGED + ROLE_PIPELINE;
    public static final String DASHBOARD_SELECTOR = MANAGED + ROLE_DASHBOARD;

    private Labels() {
    }

    /** The labels of an object the operator creates for a stream. */
    public static Map<String, String> of(String stream, String role) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(PART_OF, "pulse");
        labels.put(STREAM, stream);
        labels.put(ROLE, role);
        return labels;
    }
}
