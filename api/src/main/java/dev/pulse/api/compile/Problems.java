package dev.pulse.api.compile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one resource. */
public final class Problems {
    private final String resource;
    private final String namespace;
    private final List<Problem> list = new ArrayList<>();

    public Problems(HasMetadata r) {
        this(r.getKind() + "/" + r.getMetadata().getName(), r.getMetadata().getNamespace());
    }

    public Problems(String resource, String namespace) {
        this.resource = resource;
        this.namespace = namespace;
    }

    public void add(String field, String message) {
        list.add(new Problem(resource, namespace, field, message));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return list;
    }
}
