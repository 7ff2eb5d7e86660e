package dev.pulse.operator.serving;

import dev.pulse.api.serving.ServingRetention;
import dev.pulse.operator.config.PulseConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Enforces {@code serving.retention} on a schedule: every {@code pulse.serving.retention-interval}
 * one {@link ServingRetention#enforce} pass over the whole catalog deletes expired rows in batches
 * and drops retired versions whose retention has passed. It runs on its own thread with the schema
 * connection's timeouts (lock, statement, connect, reads): a pass that fails or times out is logged
 * and the next one resumes where it stopped. Without a serving database it does nothing.
 */
@ApplicationScoped
public class RetentionSchedule {
    private static final Logger LOG = Logger.getLogger(RetentionSchedule.class);

    private final ServingDatabase database;
    private final PulseConfig.Serving config;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    public RetentionSchedule(ServingDatabase database, PulseConfig config, Clock clock) {
        this.database = database;
        this.config = config.serving();
        this.clock = clock;
    }

    void start(@Observes StartupEvent e) {
        if (!database.configured() || config.retentionInterval().isZero()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pulse-retention");
            t.setDaemon(true);
            return t;
        });
        long every = config.retentionInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::passSafely, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void passSafely() {
        try (Connection c = database.connectForDdl()) {
            ServingRetention.Result r = ServingRetention.enforce(c, clock.instant(), config.retentionBatchSize());
            if (r.deletedRows() > 0 || !r.droppedTables().isEmpty() || !r.droppedPartitions().isEmpty()) {
                LOG.infof("serving retention: dropped %d expired partitions %s, deleted %d expired rows, dropped %d tables of retired versions %s",
                        r.droppedPartitions().size(), r.droppedPartitions(), r.deletedRows(), r.droppedTables().size(), r.droppedTables());
            }
        } catch (SQLException e) {
            LOG.warnf("serving retention pass failed (%s); the next pass resumes", ServingDatabase.describe(e));
        } catch (RuntimeException e) {
            LOG.warnf(e, "serving retention pass failed; the next pass resumes");
        }
    }
}
