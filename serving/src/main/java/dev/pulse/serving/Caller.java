package dev.pulse.serving;

import java.util.List;
import java.util.Map;

/**
 * Who sent a request, as the Kubernetes API's TokenReview named them: what a SubjectAccessReview
 * asks about. {@link #ANYONE} when authentication is off.
 */
public record Caller(String user, String uid, List<String> groups, Map<String, List<String>> extra) {
    /** Every request when {@code pulse.serving.auth.mode=none}: may read everything. */
    public static final Caller ANYONE = new Caller(null, null, List.of(), Map.of());

    public Caller {
        groups = groups == null ? List.of() : List.copyOf(groups);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
}
