package dev.pulse.testsupport;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import java.util.List;

/**
 * The CRDs of the operators Pulse drives, Strimzi's KafkaTopic and the Flink operator's
 * FlinkDeployment, for an in-memory API server (the local stack's, the operator tests'). Their
 * schemas are left open: the mock server validates nothing anyway.
 */
public final class PlatformCrds {
    private PlatformCrds() {
    }

    /** KafkaTopic ({@code kafka.strimzi.io/v1}) and FlinkDeployment ({@code flink.apache.org/v1beta1}). */
    public static List<CustomResourceDefinition> all() {
        return List.of(crd("kafka.strimzi.io", "v1", "KafkaTopic", "kafkatopics", "kt"),
                crd("flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments", "flinkdep"));
    }

    private static CustomResourceDefinition crd(String group, String version, String kind, String plural, String shortName) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope("Namespaced")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).withShortNames(shortName).endNames()
                .addNewVersion().withName(version).withServed(true).withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema()
                .endVersion()
                .endSpec().build();
    }
}
