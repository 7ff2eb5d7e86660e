package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Credentials only by Secret reference: the chart renders no Secret and no password. */
class NoSecretDataTest {
    private static final Pattern SENSITIVE = Pattern.compile("(?i).*(PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE_KEY|API_KEY).*");

    @Test
    void rendersNoSecret() {
        for (Rendered r : Rendered.all()) {
            assertThat(r.ofKind("Secret", "SealedSecret", "ExternalSecret")).as(r.name).isEmpty();
        }
    }

    @Test
    void sensitiveEnvironmentComesFromSecretReferences() {
        for (Rendered r : Rendered.all()) {
            for (JsonNode w : r.ofKind("Deployment")) {
                for (JsonNode c : w.at("/spec/template/spec/containers")) {
                    for (JsonNode e : c.path("env")) {
                        String name = e.path("name").asText();
                        if (SENSITIVE.matcher(name).matches()) {
                            assertThat(e.has("value")).as(Rendered.id(w) + " env " + name + " has no literal value").isFalse();
                            assertThat(e.at("/valueFrom/secretKeyRef/name").isMissingNode()).as(Rendered.id(w) + " env " + name + " from a Secret").isFalse();
                        }
                    }
                    for (JsonNode from : c.path("envFrom")) {
                        assertThat(from.has("configMapRef")).as(Rendered.id(w) + " envFrom ConfigMap").isFalse();
                    }
                }
            }
            // the serving API reads with the read-only role's login; only the operator gets the owner's
            assertThat(r.one("Deployment", "pulse-serving").at("/spec/template/spec/containers/0/envFrom/0/secretRef/name").asText())
                    .isEqualTo("pulse-serving-reader");
            assertThat(r.one("Deployment", "pulse-serving").at("/spec/template/spec/containers/0/envFrom").toString())
                    .doesNotContain("pulse-serving-db");
            assertThat(r.one("Deployment", "pulse-operator").at("/spec/template/spec/containers/0/envFrom/0/secretRef/name").asText())
                    .isEqualTo("pulse-serving-db");
        }
    }

    @Test
    void configMapsHoldNoCredentials() {
        for (Rendered r : Rendered.all()) {
            for (JsonNode cm : r.ofKind("ConfigMap")) {
                for (Iterator<Map.Entry<String, JsonNode>> it = cm.path("data").fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    for (String line : entry.getValue().asText().split("\n")) {
                        if (line.matches("(?i)[^#]*(password|passwd|token)[^=:]*[=:].*")) {
                            assertThat(line.replaceFirst("^[^=:]*[=:]\\s*", "")).as(Rendered.id(cm) + " " + entry.getKey() + ": " + line)
                                    .matches("\\$\\{[A-Z0-9_]+\\}");
                        }
                    }
                }
            }
        }
        JsonNode config = Rendered.full().one("ConfigMap", "pulse-operator-config");
        assertThat(config.at("/data/pulse.properties").asText())
                .contains("pulse.batch-sources.\"warehouse\".jdbc-url=jdbc:postgresql://warehouse.example.internal:5432/analytics?readOnly=true")
                .contains("pulse.batch-sources.\"warehouse\".password=${PULSE_BATCH_SOURCE_0_PASSWORD}")
                .contains("pulse.batch-sources.\"warehouse\".namespaces=growth,payments");
        JsonNode operator = Rendered.full().one("Deployment", "pulse-operator").at("/spec/template/spec/containers/0");
        for (JsonNode e : operator.path("env")) {
            if (e.path("name").asText().equals("PULSE_BATCH_SOURCE_0_PASSWORD")) {
                assertThat(e.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("warehouse-readonly");
                assertThat(e.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("pass");
            }
        }
    }

    @Test
    void noRenderedStringLooksLikeAnInlineSecret() {
        for (Rendered r : Rendered.all()) {
            assertThat(r.text).doesNotContainPattern("(?i)password\\s*[:=]\\s*[\"']?[A-Za-z0-9]{6,}");
            assertThat(r.text).doesNotContain("-----BEGIN");
        }
    }
}
