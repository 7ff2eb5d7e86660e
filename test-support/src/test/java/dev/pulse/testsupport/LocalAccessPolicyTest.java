package dev.pulse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import org.junit.jupiter.api.Test;

class LocalAccessPolicyTest {
    private final LocalAccessPolicy policy = LocalAccessPolicy.generate();

    private static ResourceAttributes get(String resource, String namespace) {
        return new ResourceAttributesBuilder().withGroup("pulse.dev").withResource(resource).withVerb("get").withNamespace(namespace).build();
    }

    @Test
    void tokensNameTheirUserAndForgedOrForeignOnesNone() {
        assertThat(policy.user(policy.tokenForAllNamespaces())).contains(LocalAccessPolicy.ALL_NAMESPACES_USER);
        assertThat(policy.user(policy.tokenForNamespace("growth"))).contains("pulse-local:namespace:growth");
        // the same scope signed by another stack's key, a changed scope, garbage
        assertThat(policy.user(LocalAccessPolicy.generate().tokenForAllNamespaces())).isEmpty();
        String growth = policy.tokenForNamespace("growth");
        assertThat(policy.user(growth.replace("ns-growth", "ns-payments"))).isEmpty();
        assertThat(policy.user("pulse-local.all")).isEmpty();
        assertThat(policy.user(null)).isEmpty();
        assertThat(LocalAccessPolicy.ofKey(policy.key()).user(growth)).as("the same key, read back").contains("pulse-local:namespace:growth");
    }

    @Test
    void aNamespaceTokenReadsItsNamespaceOnlyAndNobodyWrites() {
        String growth = policy.user(policy.tokenForNamespace("growth")).orElseThrow();
        assertThat(policy.allows(growth, get("metrics", "growth"))).isTrue();
        assertThat(policy.allows(growth, get("funnels", "growth"))).isTrue();
        assertThat(policy.allows(growth, get("metrics", "payments"))).isFalse();
        assertThat(policy.allows(growth, get("secrets", "growth"))).isFalse();
        assertThat(policy.allows(LocalAccessPolicy.ALL_NAMESPACES_USER, get("retentions", "payments"))).isTrue();
        ResourceAttributes delete = new ResourceAttributesBuilder(get("metrics", "growth")).withVerb("delete").build();
        assertThat(policy.allows(LocalAccessPolicy.ALL_NAMESPACES_USER, delete)).isFalse();
        assertThat(policy.allows("someone", get("metrics", "growth"))).isFalse();
    }
}
