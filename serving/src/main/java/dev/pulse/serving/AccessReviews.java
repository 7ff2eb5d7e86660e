package dev.pulse.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pulse.api.plan.AnalysisKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two questions the serving API asks the Kubernetes API it is configured with (in a cluster
 * the pod's; on the local stack the in-memory one): who sent this bearer token (TokenReview), and may
 * they {@code get} this kind of analysis in this namespace (SubjectAccessReview, group
 * {@code pulse.dev}, resource {@code metrics}, {@code funnels} or {@code retentions}, no name: a
 * grant must cover the namespace). Both answers are cached for at most 60 s, bounded in entries;
 * tokens are kept only as their SHA-256.
 */
@ApplicationScoped
public class AccessReviews {
    /** The longest an answer is reused, whatever {@code pulse.serving.auth.cache-ttl} says. */
    static final Duration MAX_TTL = Duration.ofSeconds(60);

    @Inject
    ServingConfig config;
    @Inject
    Instance<KubernetesClient> kubernetes;

    private Cache<String, Optional<Caller>> tokens;
    private Cache<Question, Boolean> decisions;

    /** One access question: may this caller get this resource in this namespace. */
    record Question(Caller caller, String namespace, String resource) {
    }

    @PostConstruct
    void init() {
        Duration ttl = config.auth().cacheTtl().compareTo(MAX_TTL) > 0 ? MAX_TTL : config.auth().cacheTtl();
        tokens = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(config.auth().cacheEntries()).build();
        decisions = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(config.auth().cacheEntries()).build();
    }

    /** The caller a bearer token stands for, or empty when the Kubernetes API does not authenticate it. */
    public Optional<Caller> authenticate(String token) {
        return tokens.get(sha256(token), k -> review(token));
    }

    /** Whether {@code caller} may read analyses of {@code kind} in {@code namespace}. */
    public boolean mayRead(Caller caller, String namespace, AnalysisKind kind) {
        if (caller == Caller.ANYONE) {
            return true;
        }
        return decisions.get(new Question(caller, namespace, HasMetadata.getPlural(kind.resourceClass())), this::review);
    }

    private Optional<Caller> review(String token) {
        TokenReview review = new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build();
        TokenReview answer;
        try {
            answer = kubernetes.get().authentication().v1().tokenReviews().create(review);
        } catch (KubernetesClientException e) {
            throw new ApiError.Unavailable("the Kubernetes API did not review the token", e);
        }
        if (answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAuthenticated())) {
            return Optional.empty();
        }
        UserInfo user = answer.getStatus().getUser();
        if (user == null || user.getUsername() == null || user.getUsername().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Caller(user.getUsername(), user.getUid(), user.getGroups(), user.getExtra()));
    }

    private boolean review(Question q) {
        Caller c = q.caller();
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(c.user()).withUid(c.uid()).withGroups(c.groups()).withExtra(extra(c.extra()))
                .withNewResourceAttributes().withGroup(HasMetadata.getGroup(dev.pulse.api.v1alpha1.metric.Metric.class))
                .withResource(q.resource()).withVerb("get").withNamespace(q.namespace()).endResourceAttributes()
                .endSpec().build();
        try {
            SubjectAccessReview answer = kubernetes.get().authorization().v1().subjectAccessReview().create(review);
            return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed())
                    && !Boolean.TRUE.equals(answer.getStatus().getDenied());
        } catch (KubernetesClientException e) {
            throw new ApiError.Unavailable("the Kubernetes API did not review the access", e);
        }
    }

    private static Map<String, List<String>> extra(Map<String, List<String>> extra) {
        return extra.isEmpty() ? null : extra;
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
