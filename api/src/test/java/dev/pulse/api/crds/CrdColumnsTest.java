package dev.pulse.api.crds;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@code kubectl get} shows from each committed CRD (crds/): the columns in the order a reader
 * expects (what it is, then health, then the figures with their units, then policy and age), the
 * {@code pulse} category, short names no widely used operator takes, and conditions as a list map.
 */
class CrdColumnsTest {
    /** Short names of widely installed operators' kinds (Elastic, Strimzi, Flink, cert-manager, Argo, Prometheus, Istio, Knative). */
    private static final Set<String> TAKEN = Set.of("es", "kb", "ent", "apm", "k", "kt", "ku", "kc", "kmm2", "kr", "kafka", "flinkdep",
            "cert", "certs", "cr", "crs", "app", "apps", "appproj", "prom", "smon", "pmon", "vs", "gw", "dr", "se", "ksvc", "rev", "kcfg", "ns");

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "eventstreams;evs;Topic,Ready,Reason,Lag(records),Malformed,Deletion,Age",
        "metrics;mt;Stream,Aggregation,Ready,Reason,Lag(s),Freshness(s),Deletion,Age",
        "funnels;fn;Stream,Order,Ready,Reason,Lag(s),Freshness(s),Deletion,Age",
        "retentions;rt;Stream,Period,Ready,Reason,Lag(s),Freshness(s),Deletion,Age"})
    void columnsNamesAndConditions(String plural, String shortName, String columns) throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(Path.of("../crds", plural + ".pulse.dev.yaml")),
                CustomResourceDefinition.class);
        assertThat(crd.getSpec().getNames().getCategories()).containsExactly("pulse");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly(shortName).doesNotContainAnyElementsOf(TAKEN);
        var version = crd.getSpec().getVersions().get(0);
        assertThat(version.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
                .containsExactly(columns.split(","));
        assertThat(version.getAdditionalPrinterColumns()).filteredOn(c -> c.getName().startsWith("Lag") || c.getName().startsWith("Freshness"))
                .allSatisfy(c -> assertThat(c.getType()).isEqualTo("integer"));
        JSONSchemaProps conditions = version.getSchema().getOpenAPIV3Schema().getProperties().get("status").getProperties().get("conditions");
        assertThat(conditions.getXKubernetesListType()).isEqualTo("map");
        assertThat(conditions.getXKubernetesListMapKeys()).isEqualTo(List.of("type"));
        assertThat(conditions.getItems().getSchema().getRequired()).contains("type");
    }
}
