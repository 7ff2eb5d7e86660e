package dev.pulse.serving;

import dev.pulse.testsupport.LocalAccessPolicy;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kubernetes API of the tests: the in-memory API server with {@link LocalAccessPolicy}
 * answering TokenReviews and SubjectAccessReviews, as on the local stack. The application under
 * test calls it like a cluster's API server ({@code quarkus.kubernetes-client.api-server-url}).
 */
public class AccessReviewServer implements QuarkusTestResourceLifecycleManager {
    /** The tests' policy; its tokens are what the tests send. */
    static final LocalAccessPolicy POLICY = LocalAccessPolicy.generate();

    private KubernetesMockServer server;

    /** A token that may read every namespace. */
    static String allNamespaces() {
        return POLICY.tokenForAllNamespaces();
    }

    /** A token that may read {@code namespace} only. */
    static String namespace(String namespace) {
        return POLICY.tokenForNamespace(namespace);
    }

    @Override
    public Map<String, String> start() {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(), POLICY.dispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return Map.of("quarkus.kubernetes-client.api-server-url", "http://localhost:" + server.getPort(),
                "quarkus.kubernetes-client.trust-certs", "true");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
        }
    }
}
