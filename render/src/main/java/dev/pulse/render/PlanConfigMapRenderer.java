package dev.pulse.render;

import dev.pulse.api.compile.Names;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The ConfigMap that carries a pipeline's plan; mounted into the job at /opt/pulse/plan. */
public final class PlanConfigMapRenderer {
    public static final String PLAN_KEY = "plan.json";

    private PlanConfigMapRenderer() {
    }

    /** Name of the ConfigMap holding the plan of the named pipeline. */
    public static String name(String pipeline) {
        return Names.objectName(pipeline, "plan");
    }

    public static ConfigMap render(EventStream stream, PipelinePlan plan) {
        Map<String, String> labels = new TreeMap<>(Labels.of(stream.getMetadata().getName(), Labels.ROLE_PLAN));
        labels.put(Labels.PIPELINE, plan.pipeline());
        ConfigMap cm = new ConfigMap();
        cm.setMetadata(new ObjectMetaBuilder().withName(name(plan.pipeline())).withNamespace(stream.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(new TreeMap<>(Map.of(Labels.PLAN_HASH, plan.hash()))).build());
        cm.setData(new TreeMap<>(Map.of(PLAN_KEY, PlanJson.write(plan))));
        return cm;
    }

    /** The plan a ConfigMap carries, if it carries a readable one. */
    public static Optional<PipelinePlan> plan(ConfigMap cm) {
        String json = cm == null || cm.getData() == null ? null : cm.getData().get(PLAN_KEY);
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(PlanJson.read(json));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
