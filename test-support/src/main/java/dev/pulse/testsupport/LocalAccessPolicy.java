package dev.pulse.testsupport;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may read what on the local stack (and in the tests that stand in for a cluster): the answers
 * to the two reviews the serving API asks the Kubernetes API, which the in-memory API server
 * (fabric8's mock server in CRUD mode) cannot give on its own.
 *
 * <p>The policy, in full:
 * <ul>
 *   <li><b>Tokens</b> are {@code pulse-local.<scope>.<signature>}, the signature an HMAC-SHA256 of
 *   the scope under a key the stack draws at start. Scope {@code all} is user
 *   {@code pulse-local:all-namespaces}; scope {@code ns-<namespace>} is user
 *   {@code pulse-local:namespace:<namespace>}. Both are in group {@code system:authenticated}.
 *   Any other token is not authenticated (a TokenReview with {@code authenticated: false}).</li>
 *   <li><b>Access</b> (SubjectAccessReview): the verbs {@code get}, {@code list} and
 *   {@code watch} on the {@code pulse.dev} resources eventstreams, metrics, funnels and
 *   retentions, in any namespace for {@code pulse-local:all-namespaces}, in its own namespace only
 *   for {@code pulse-local:namespace:<namespace>}. Nothing else is allowed to anyone.</li>
 * </ul>
 * The serving API calls the API server it is configured with, exactly as in a cluster; only the
 * answers come from here.
 */
public final class LocalAccessPolicy {
    public static final String ALL_NAMESPACES_USER = "pulse-local:all-namespaces";
    public static final String NAMESPACE_USER_PREFIX = "pulse-local:namespace:";
    static final String TOKEN_PREFIX = "pulse-local.";
    static final String ALL_SCOPE = "all";
    static final String NAMESPACE_SCOPE_PREFIX = "ns-";
    private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");
    private static final Set<String> READABLE = Set.of("eventstreams", "metrics", "funnels", "retentions");
    private static final String GROUP = "pulse.dev";

    private final byte[] key;

    private LocalAccessPolicy(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the token key needs at least 16 bytes");
        }
        this.key = key.clone();
    }

    /** A policy with a new random key (a new stack: tokens of earlier runs are no longer valid). */
    public static LocalAccessPolicy generate() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new LocalAccessPolicy(key);
    }

    /** The policy of a key written earlier ({@link #key()}). */
    public static LocalAccessPolicy ofKey(byte[] key) {
        return new LocalAccessPolicy(key);
    }

    /** The key, to keep beside the stack so that {@code pulse token} can sign tokens of the same stack. */
    public byte[] key() {
        return key.clone();
    }

    /** A token that may read every namespace. */
    public String tokenForAllNamespaces() {
        return token(ALL_SCOPE);
    }

    /** A token that may read {@code namespace} only. */
    public String tokenForNamespace(String namespace) {
        if (namespace == null || !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException("not a namespace name: " + namespace);
        }
        return token(NAMESPACE_SCOPE_PREFIX + namespace);
    }

    private String token(String scope) {
        return TOKEN_PREFIX + scope + "." + signature(scope);
    }

    private String signature(String scope) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(scope.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The user a token stands for, or empty when it is not one of this policy's tokens. */
    public Optional<String> user(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        String rest = token.substring(TOKEN_PREFIX.length());
        int dot = rest.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String scope = rest.substring(0, dot);
        byte[] expected = signature(scope).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, rest.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        if (scope.equals(ALL_SCOPE)) {
            return Optional.of(ALL_NAMESPACES_USER);
        }
        return scope.startsWith(NAMESPACE_SCOPE_PREFIX)
                ? Optional.of(NAMESPACE_USER_PREFIX + scope.substring(NAMESPACE_SCOPE_PREFIX.length()))
                : Optional.empty();
    }

    /** Whether {@code user} may do what {@code attributes} describe. */
    public boolean allows(String user, ResourceAttributes attributes) {
        if (user == null || attributes == null || !GROUP.equals(attributes.getGroup()) || !READ_VERBS.contains(attributes.getVerb())
                || !READABLE.contains(attributes.getResource()) || attributes.getSubresource() != null && !attributes.getSubresource().isEmpty()) {
            return false;
        }
        if (user.equals(ALL_NAMESPACES_USER)) {
            return true;
        }
        String namespace = attributes.getNamespace();
        return user.startsWith(NAMESPACE_USER_PREFIX) && namespace != null && !namespace.isEmpty()
                && user.equals(NAMESPACE_USER_PREFIX + namespace);
    }

    /** A TokenReview answered: its spec, with the status this policy gives. */
    public TokenReview review(TokenReview review) {
        Optional<String> user = user(review.getSpec() == null ? null : review.getSpec().getToken());
        TokenReviewBuilder answer = new TokenReviewBuilder(review).editOrNewMetadata().endMetadata();
        if (user.isPresent()) {
            return answer.withNewStatus().withAuthenticated(true).withNewUser().withUsername(user.get())
                    .withGroups(List.of("system:authenticated")).endUser().endStatus().build();
        }
        return answer.withNewStatus().withAuthenticated(false).withError("not a token of this local stack").endStatus().build();
    }

    /** A SubjectAccessReview answered by this policy. */
    public SubjectAccessReview review(SubjectAccessReview review) {
        boolean allowed = review.getSpec() != null && allows(review.getSpec().getUser(), review.getSpec().getResourceAttributes());
        return new SubjectAccessReviewBuilder(review).editOrNewMetadata().endMetadata().withNewStatus().withAllowed(allowed)
                .withReason(allowed ? "the local access policy allows it" : "the local access policy does not allow it")
                .endStatus().build();
    }

    /**
     * A CRUD dispatcher for the in-memory API server that answers TokenReviews and
     * SubjectAccessReviews from this policy (and everything else as CRUD).
     */
    public KubernetesCrudDispatcher dispatcher() {
        return new Dispatcher(this);
    }

    private static final class Dispatcher extends KubernetesCrudDispatcher {
        private static final KubernetesSerialization JSON = new KubernetesSerialization();
        private final LocalAccessPolicy policy;

        Dispatcher(LocalAccessPolicy policy) {
            super(List.of());
            this.policy = policy;
        }

        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            String path = request.getPath();
            if (path.startsWith("/apis/authentication.k8s.io/v1/tokenreviews")) {
                return created(policy.review(JSON.unmarshal(request.getUtf8Body(), TokenReview.class)));
            }
            if (path.startsWith("/apis/authorization.k8s.io/v1/subjectaccessreviews")) {
                return created(policy.review(JSON.unmarshal(request.getUtf8Body(), SubjectAccessReview.class)));
            }
            return super.handleCreate(request);
        }

        private static MockResponse created(Object body) {
            return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json").setBody(JSON.asJson(body));
        }
    }
}
