package dev.pulse.serving;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.serving.Catalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;

/**
 * The catalog as last read, reread when older than {@code pulse.serving.catalog-refresh}: which
 * version of each analysis answers queries (the active one) and from which tables.
 */
@ApplicationScoped
public class CatalogService {
    @Inject
    DataSource dataSource;
    @Inject
    ServingConfig config;

    private volatile List<Catalog.Entry> entries;
    private volatile long readAtNanos;

    /** Every catalog row but the dropped ones. */
    public List<Catalog.Entry> entries() {
        List<Catalog.Entry> current = entries;
        if (current == null || System.nanoTime() - readAtNanos >= config.catalogRefresh().toNanos()) {
            try (Connection c = dataSource.getConnection()) {
                current = Catalog.read(c);
            } catch (SQLException e) {
                throw new ApiError.Unavailable("cannot read the serving catalog", e);
            }
            entries = current;
            readAtNanos = System.nanoTime();
        }
        return current;
    }

    /**
     * The version that answers queries about an analysis: the active one, or while none is (a
     * first version still being created) the newest catching-up one.
     *
     * @throws ApiError.NotFound when the catalog has no live version of it
     */
    public Catalog.Entry find(String namespace, AnalysisKind kind, String name) {
        return entries().stream()
                .filter(e -> e.namespace().equals(namespace) && e.kind() == kind && e.name().equals(name))
                .filter(e -> e.status().equals(Catalog.ACTIVE) || e.status().equals(Catalog.CATCHING_UP))
                .max(Comparator.comparing((Catalog.Entry e) -> e.status().equals(Catalog.ACTIVE)).thenComparing(Catalog.Entry::createdAt))
                .orElseThrow(() -> new ApiError.NotFound("no " + kind + " '" + name + "' in namespace '" + namespace + "'"));
    }

    /** Forgets the catalog read, so the next request reads it again. */
    public void invalidate() {
        entries = null;
    }
}
