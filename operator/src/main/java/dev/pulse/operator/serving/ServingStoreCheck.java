package dev.pulse.operator.serving;

import dev.pulse.operator.config.PulseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Whether the serving database answers, for {@code Ready}: an analysis the API cannot serve is
 * not Ready ({@code ServingStoreUnavailable}). Every reconcile asks; a result holds for
 * {@code pulse.jdbc.check-interval}, one reconcile at a time looks again (the others take the last
 * result), and a failed schema change counts as a failed check. Without a configured serving
 * database there is nothing to check.
 */
@ApplicationScoped
public class ServingStoreCheck {
    private static final Logger LOG = Logger.getLogger(ServingStoreCheck.class);

    private final ServingDatabase database;
    private final Duration interval;
    private final Clock clock;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile Result last;

    private record Result(Instant at, String problem) {
    }

    public ServingStoreCheck(ServingDatabase database, PulseConfig config, Clock clock) {
        this.database = database;
        this.interval = config.jdbc().checkInterval();
        this.clock = clock;
    }

    /** Why the serving database cannot be used now, or empty when it answers (or none is configured). */
    public Optional<String> unavailable() {
        if (!database.configured()) {
            return Optional.empty();
        }
        Result r = last;
        if ((r == null || !r.at().plus(interval).isAfter(clock.instant())) && checking.tryLock()) {
            try {
                r = last;
                if (r == null || !r.at().plus(interval).isAfter(clock.instant())) {
                    r = new Result(clock.instant(), check());
                    record(r);
                }
            } finally {
                checking.unlock();
            }
        }
        return r == null ? Optional.empty() : Optional.ofNullable(r.problem());
    }

    /** A call to the serving database failed elsewhere (a schema change): the next reconciles see it at once. */
    public void failed(String problem) {
        record(new Result(clock.instant(), problem));
    }

    /** A call to the serving database succeeded elsewhere. */
    public void succeeded() {
        record(new Result(clock.instant(), null));
    }

    private void record(Result r) {
        Result before = last;
        last = r;
        String was = before == null ? null : before.problem();
        if (r.problem() != null && !r.problem().equals(was)) {
            LOG.warnf("serving database unavailable: %s", r.problem());
        } else if (r.problem() == null && was != null) {
            LOG.infof("serving database available again");
        }
    }

    private String check() {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.setQueryTimeout((int) Math.max(1, interval.toSeconds()));
            s.execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            return ServingDatabase.describe(e);
        }
    }
}
