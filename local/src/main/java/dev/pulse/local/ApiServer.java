package dev.pulse.local;

import dev.pulse.testsupport.LocalAccessPolicy;
import dev.pulse.testsupport.PlatformCrds;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;

/**
 * The in-memory Kubernetes API: fabric8's mock server in CRUD mode (create, get, list, watch,
 * status subresource, patches; no server-side apply, no garbage collection, no validation), with
 * the Pulse CRDs from {@code crds/} and the KafkaTopic and FlinkDeployment CRDs of the operators the
 * stand-ins play. TokenReviews and SubjectAccessReviews are answered from the stack's
 * {@link LocalAccessPolicy} (the mock server has no authentication of its own).
 */
final class ApiServer implements AutoCloseable {
    /** The mock server logs every request through java.util.logging; held so the level is not lost to GC. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private ApiServer(KubernetesMockServer server) {
        this.server = server;
        this.client = client(url(server));
    }

    /** Starts the API server with a policy of its own (tests that do not read through the serving API). */
    static ApiServer start(int port, Path crdDir) throws IOException {
        return start(port, crdDir, LocalAccessPolicy.generate());
    }

    /** Starts the API server; {@code access} answers its TokenReviews and SubjectAccessReviews (the serving API's). */
    static ApiServer start(int port, Path crdDir, LocalAccessPolicy access) throws IOException {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                access.dispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), port);
        ApiServer api = new ApiServer(server);
        try {
            api.installCrds(crdDir);
            api.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build()).create();
        } catch (RuntimeException | IOException e) {
            api.close();
            throw e;
        }
        return api;
    }

    private static String url(KubernetesMockServer server) {
        return "http://localhost:" + server.getPort();
    }

    /** A client of an API server at {@code url} (plain HTTP, no credentials: the local stack's). */
    static KubernetesClient client(String url) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(url).withTrustCerts(true)
                .withNamespace("default").withRequestRetryBackoffLimit(2).build()).build();
    }

    String url() {
        return url(server);
    }

    int port() {
        return server.getPort();
    }

    KubernetesClient client() {
        return client;
    }

    private void installCrds(Path crdDir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(crdDir)) {
            s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new IOException("no CRDs in " + crdDir);
        }
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
            }
        }
        for (CustomResourceDefinition crd : PlatformCrds.all()) {
            client.resource(crd).create();
        }
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
