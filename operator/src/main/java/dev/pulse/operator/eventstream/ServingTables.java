package dev.pulse.operator.eventstream;

import dev.pulse.api.plan.AnalysisChange;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.serving.RollupLayout;
import dev.pulse.api.serving.ServingRetention;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.v1alpha1.common.DeletionPolicy;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.render.PipelineException;
import dev.pulse.operator.serving.DatabaseCredentials;
import dev.pulse.operator.serving.ServingDatabase;
import dev.pulse.operator.serving.ServingStoreCheck;
import dev.pulse.api.v1alpha1.common.Reasons;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Creates and migrates a stream's serving tables (detail tables, rollups, anomalies tables,
 * catalog entries; {@link ServingSchema}) before its pipelines are deployed, so rows always land
 * in tables that exist. Additive and idempotent; without a configured serving database
 * ({@code pulse.jdbc.url}) it does nothing and the pipelines create their own tables.
 *
 * <p>The schema changes run only when what they depend on changed: the stream's analysis plans
 * (tables, rollups, catalog rows) differ from the last ones applied by this process. A reconcile
 * that changes nothing there (a FlinkDeployment status change, a suspend, a parallelism change)
 * does not touch PostgreSQL, so it works while PostgreSQL is down. When the database cannot be
 * reached and every table the plans need already existed (the deployed plans, whose tables were
 * created before they were deployed, have them), the roll-out goes on and the catalog catches up
 * on a later reconcile; only a change that needs a new table waits ({@code ServingStoreUnavailable}).
 *
 * <p>Before a namespace's first tables it has {@link DatabaseCredentials} set up the namespace's own
 * database role and the Secret its pipelines log in with.
 */
@ApplicationScoped
public class ServingTables {
    private static final Logger LOG = Logger.getLogger(ServingTables.class);

    /** Opens a connection for schema changes (with lock and statement timeouts). */
    @FunctionalInterface
    interface Connector {
        Connection open() throws SQLException;
    }

    private final Connector connector;
    private final ServingStoreCheck check;
    private final DatabaseCredentials credentials;
    /** Per stream, the key of the analysis plans whose serving objects were last applied. */
    private final Map<String, String> applied = new ConcurrentHashMap<>();

    @Inject
    public ServingTables(ServingDatabase database, ServingStoreCheck check, DatabaseCredentials credentials) {
        this(database.configured() ? database::connectForDdl : null, check, credentials);
    }

    ServingTables(Connector connector, ServingStoreCheck check) {
        this(connector, check, null);
    }

    /**
     * @param connector how to reach the serving database, or null when none is configured
     * @param check told of failed schema changes, or null
     * @param credentials sets up the namespace's own database role and Secret, or null
     */
    ServingTables(Connector connector, ServingStoreCheck check, DatabaseCredentials credentials) {
        this.connector = connector;
        this.check = check;
        this.credentials = credentials;
    }

    /**
     * Brings the serving objects to what the stream's plans need, when that changed.
     *
     * @param stream the stream ({@code namespace/name})
     * @param deployed the plans the stream's pipelines were given before (their tables exist)
     * @return false when the database could not be reached but every table the plans need exists
     *     already (the roll-out may go on; the schema is tried again on the next reconcile), else true
     * @throws PipelineException ({@code ServingStoreUnavailable}) when a table the plans need may
     *     not exist yet and the database cannot be reached
     */
    public boolean apply(String stream, List<PipelinePlan> plans, Collection<PipelinePlan> deployed) {
        if (connector == null || plans.isEmpty()) {
            return true;
        }
        if (credentials != null) {
            // the role the pipelines log in as, and its Secret, before their first deployment (once per namespace)
            try {
                credentials.ensureNamespace(stream.substring(0, stream.indexOf('/')));
            } catch (PipelineException e) {
                if (!tables(deployed).containsAll(tables(plans))) {
                    throw e;
                }
                // deployed before: the role and its Secret exist already
                LOG.warnf("stream %s: %s; its pipelines are deployed, they go on", stream, e.getMessage());
                return false;
            }
        }
        String key = key(plans);
        if (key.equals(applied.get(stream))) {
            return true;
        }
        try (Connection c = connector.open()) {
            ServingSchema.apply(c, plans);
        } catch (SQLException e) {
            String problem = ServingDatabase.describe(e);
            if (check != null) {
                check.failed(problem);
            }
            if (tables(deployed).containsAll(tables(plans))) {
                LOG.warnf("stream %s: cannot update the serving catalog (%s); its tables exist, the pipelines go on", stream, problem);
                return false;
            }
            throw new ServingStoreUnavailable("cannot create the serving tables of stream " + stream + ": " + problem, e);
        }
        applied.put(stream, key);
        return true;
    }

    /**
     * Retires the serving versions of analyses no longer in any plan of their stream (their
     * resource was deleted, or moved to another stream): the API stops answering for them and their
     * tables are dropped once their rows would have expired ({@code ServingSchema.retire}).
     */
    public void retire(List<AnalysisChange> removed) {
        if (connector == null || removed.isEmpty()) {
            return;
        }
        try (Connection c = connector.open()) {
            for (AnalysisChange r : removed) {
                ServingSchema.retire(c, r.namespace(), r.kind().name(), r.name());
            }
        } catch (SQLException e) {
            throw unavailable("cannot retire the serving tables of removed analyses", e);
        }
    }

    /** Forgets which schemas were applied, as a restarted operator has: the next reconcile of each stream applies its schema again. */
    void forgetApplied() {
        applied.clear();
    }

    /**
     * What an analysis's deletion does to its serving tables: {@code Retain} retires every version
     * (the API stops answering; the tables are dropped after {@code serving.retention}),
     * {@code Delete} drops them now ({@code ServingRetention.dropNow}).
     *
     * @return what was done, for an Event; empty without a serving database
     * @throws PipelineException ({@code ServingStoreUnavailable}) when the database cannot be reached (the deletion is retried)
     */
    public String dispose(String namespace, AnalysisKind kind, String name, DeletionPolicy policy) {
        if (connector == null) {
            return "";
        }
        try (Connection c = connector.open()) {
            if (policy == DeletionPolicy.Delete) {
                List<String> dropped = ServingRetention.dropNow(c, namespace, kind.name(), name);
                return dropped.isEmpty() ? "no serving tables to drop" : "dropped tables " + String.join(", ", dropped);
            }
            ServingSchema.retire(c, namespace, kind.name(), name);
            return "serving tables retired (dropped after serving.retention)";
        } catch (SQLException e) {
            throw unavailable("cannot " + (policy == DeletionPolicy.Delete ? "drop" : "retire") + " the serving tables of " + kind + " "
                    + namespace + "/" + name, e);
        }
    }

    private ServingStoreUnavailable unavailable(String what, SQLException e) {
        String problem = ServingDatabase.describe(e);
        if (check != null) {
            check.failed(problem);
        }
        return new ServingStoreUnavailable(what + ": " + problem, e);
    }

    /** What the schema changes depend on: every analysis plan of the stream (tables, rollups, catalog row). */
    static String key(List<PipelinePlan> plans) {
        return PlanJson.sha256(plans.stream().flatMap(p -> p.analyses().stream()).sorted(Comparator.comparing(AnalysisPlan::id)).toList());
    }

    /** The tables the plans write to, by their definition. */
    static Set<String> tables(Collection<PipelinePlan> plans) {
        Set<String> out = new TreeSet<>();
        for (PipelinePlan p : plans) {
            for (AnalysisPlan a : p.analyses()) {
                out.add(TableLayout.of(a).createTableSql());
                RollupLayout.of(a).forEach(r -> out.add(r.table().createTableSql()));
                if (a.metric() != null && a.metric().anomaly() != null) {
                    out.add(TableLayout.anomalies(a).createTableSql());
                }
            }
        }
        return out;
    }

    /** The serving database is down or refused the schema: retried, shown as Ready=False. */
    static final class ServingStoreUnavailable extends PipelineException {
        ServingStoreUnavailable(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String reason() {
            return Reasons.SERVING_STORE_UNAVAILABLE;
        }
    }
}
