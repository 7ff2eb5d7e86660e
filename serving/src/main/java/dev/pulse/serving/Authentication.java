package dev.pulse.serving;

import dev.pulse.api.plan.AnalysisKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every request to the API's resources ({@code /api/...}) carries a Kubernetes bearer token
 * ({@code Authorization: Bearer ...}): 401 without one the Kubernetes API authenticates. A resource
 * method under {@code /namespaces/{namespace}} names the kind it reads with {@link Reads}; the
 * caller must be allowed to {@code get} it in that namespace, else 403. This runs before the method
 * (and its parameter checks), so a namespace the caller may not read says nothing about what it holds.
 * The dashboard page, its static files, {@code /q/health*} and {@code /q/metrics} are not resources
 * of this API and need no token. With {@code pulse.serving.auth.mode=none} every request is
 * {@link Caller#ANYONE}.
 */
public class Authentication {
    /** A bearer token longer than this is not one (a Kubernetes token is a few KiB at most). */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    /** The kind of analysis a namespaced resource method reads. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface Reads {
        AnalysisKind value();
    }

    @Inject
    ServingConfig config;
    @Inject
    AccessReviews reviews;
    @Inject
    RequestCaller requestCaller;

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request, ResourceInfo resource) {
        Caller caller = config.auth().mode() == ServingConfig.AuthMode.none ? Caller.ANYONE
                : bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)).flatMap(reviews::authenticate)
                        .orElseThrow(() -> new ApiError.Unauthorized("a valid Kubernetes bearer token is required "
                                + "(Authorization: Bearer <token>)"));
        requestCaller.set(caller);
        String namespace = request.getUriInfo().getPathParameters().getFirst("namespace");
        if (namespace == null) {
            return;
        }
        Reads reads = resource.getResourceMethod() == null ? null : resource.getResourceMethod().getAnnotation(Reads.class);
        if (reads == null) {
            throw new IllegalStateException(resource.getResourceMethod() + " reads a namespace but does not say which kind (@Reads)");
        }
        if (!reviews.mayRead(caller, namespace, reads.value())) {
            throw new ApiError.Forbidden(caller.user() + " may not get " + HasMetadata.getFullResourceName(reads.value().resourceClass())
                    + " in namespace '" + namespace + "'");
        }
    }

    /** The token of an {@code Authorization: Bearer} header, if it holds one. */
    static Optional<String> bearer(String header) {
        if (header == null || header.length() > MAX_TOKEN_LENGTH + 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
