package dev.pulse.operator.serving;

import dev.pulse.operator.config.PulseConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Whether the serving database answers, for {@code Ready}: an analysis the API cannot serve is
 * not Ready ({@code ServingStoreUnavailable}). Every reconcile asks; a result holds for
 * {@code pulse.jdbc.check-interval}, after which the next question starts a new check on a
 * thread of its own and waits for it at most a second (a database that answers or refuses does so
 * at once), else takes the last result, so no reconcile waits long on a database that hangs (only
 * the very first question waits for the first result, at most the connect timeout). A
 * failed schema change counts as a failed check. Without a configured serving database there is
 * nothing to check.
 */
@ApplicationScoped
public class ServingStoreCheck {
    private static final Logger LOG = Logger.getLogger(ServingStoreCheck.class);

    private final ServingDatabase database;
    private final Duration interval;
    private final Duration connectTimeout;
    private final Clock clock;
    private final ReentrantLock checking = new ReentrantLock();
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pulse-serving-check");
        t.setDaemon(true);
        return t;
    });
    private volatile Result last;
    private Future<?> inFlight;

    private record Result(Instant at, String problem) {
    }

    public ServingStoreCheck(ServingDatabase database, PulseConfig config, Clock clock) {
        this.database = database;
        this.interval = config.jdbc().checkInterval();
        this.connectTimeout = config.jdbc().connectTimeout();
        this.clock = clock;
    }

    /** Why the serving database cannot be used now, or empty when it answers (or none is configured). */
    public Optional<String> unavailable() {
        if (!database.configured()) {
            return Optional.empty();
        }
        Result r = last;
        Future<?> started = null;
        if (r == null || !r.at().plus(interval).isAfter(clock.instant())) {
            checking.lock();
            try {
                if (inFlight == null || inFlight.isDone()) {
                    inFlight = checker.submit(() -> {
                        String problem = check();
                        record(new Result(clock.instant(), problem));
                    });
                }
                started = inFlight;
            } finally {
                checking.unlock();
            }
        }
        if (started != null) {
            // a database that answers (or refuses) does so at once: this reconcile takes the new result; a hung one
            // costs it a second at most. With nothing known yet, wait for the first answer rather than guess.
            try {
                started.get(r == null ? connectTimeout.toMillis() + 1000 : Math.min(1000, connectTimeout.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // the result (or its absence) is below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            r = last;
        }
        return r == null ? Optional.empty() : Optional.ofNullable(r.problem());
    }

    @PreDestroy
    void stop() {
        checker.shutdownNow();
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
        // connect, login and the answer all within the connect timeout: a hung database fails the check
        try (Connection c = database.connect(connectTimeout); Statement s = c.createStatement()) {
            s.setQueryTimeout((int) Math.max(1, interval.toSeconds()));
            s.execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            return ServingDatabase.describe(e);
        }
    }
}
