package dev.pulse.api.plan;

import dev.pulse.api.serving.TableLayout;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * The kinds of analysis. A constant's name is the Kubernetes kind, and what plans, the serving
 * catalog and result topics write.
 */
public enum AnalysisKind {
    Metric("mt", dev.pulse.api.v1alpha1.metric.Metric.class, TableLayout.METRIC_VALUES),
    Funnel("fn", dev.pulse.api.v1alpha1.funnel.Funnel.class, TableLayout.FUNNEL_VALUES),
    Retention("rt", dev.pulse.api.v1alpha1.retention.Retention.class, TableLayout.RETENTION_VALUES);

    private final String prefix;
    private final Class<? extends HasMetadata> resourceClass;
    private final List<TableLayout.Column> valueColumns;

    AnalysisKind(String prefix, Class<? extends HasMetadata> resourceClass, List<TableLayout.Column> valueColumns) {
        this.prefix = prefix;
        this.resourceClass = resourceClass;
        this.valueColumns = valueColumns;
    }

    /** The short prefix of the kind in analysis ids, table names and object names ({@code mt}, {@code fn}, {@code rt}). */
    public String prefix() {
        return prefix;
    }

    /** The custom resource class of the kind. */
    public Class<? extends HasMetadata> resourceClass() {
        return resourceClass;
    }

    /** The value columns of the kind's detail table, in order. */
    public List<TableLayout.Column> valueColumns() {
        return valueColumns;
    }

    /** The kind of an analysis resource (a Metric, Funnel or Retention). */
    public static AnalysisKind of(HasMetadata analysis) {
        for (AnalysisKind k : values()) {
            if (k.resourceClass.isInstance(analysis)) {
                return k;
            }
        }
        throw new IllegalArgumentException("not an analysis: " + analysis.getKind());
    }

    /** The kind with the given Kubernetes kind name. */
    public static AnalysisKind named(String kind) {
        for (AnalysisKind k : values()) {
            if (k.name().equals(kind)) {
                return k;
            }
        }
        throw new IllegalArgumentException("not an analysis kind: " + kind);
    }
}
