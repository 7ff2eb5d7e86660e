package dev.pulse.operator.eventstream;

import dev.pulse.api.plan.AnalysisChange;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.operator.config.PulseConfig;
import dev.pulse.operator.render.PipelineException;
import dev.pulse.operator.status.Reasons;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Creates and migrates a stream's serving tables (detail tables, rollups, anomalies tables,
 * catalog entries; {@link ServingSchema}) before its pipelines are deployed, so rows always land
 * in tables that exist. Additive and idempotent; without a configured serving database
 * ({@code pulse.jdbc.url}) it does nothing and the pipelines create their own tables.
 */
@ApplicationScoped
public class ServingTables {
    private final PulseConfig config;

    public ServingTables(PulseConfig config) {
        this.config = config;
    }

    public void apply(List<PipelinePlan> plans) {
        apply(config.jdbc().url(), config.jdbc().user(), config.jdbc().password(), plans);
    }

    static void apply(Optional<String> url, Optional<String> user, Optional<String> password, List<PipelinePlan> plans) {
        if (url.isEmpty() || plans.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url.get(), user.orElse(null), password.orElse(null))) {
            ServingSchema.apply(c, plans);
        } catch (SQLException e) {
            throw new ServingStoreUnavailable("cannot set up the serving tables in " + url.get() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Retires the serving versions of analyses no longer in any plan of their stream (their
     * resource was deleted, or moved to another stream): the API stops answering for them and their
     * tables are dropped once their rows would have expired ({@code ServingSchema.retire}).
     */
    public void retire(List<AnalysisChange> removed) {
        if (config.jdbc().url().isEmpty() || removed.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(config.jdbc().url().get(), config.jdbc().user().orElse(null),
                config.jdbc().password().orElse(null))) {
            for (AnalysisChange r : removed) {
                ServingSchema.retire(c, r.namespace(), r.kind().name(), r.name());
            }
        } catch (SQLException e) {
            throw new ServingStoreUnavailable("cannot retire the serving tables of removed analyses in " + config.jdbc().url().get()
                    + ": " + e.getMessage(), e);
        }
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
