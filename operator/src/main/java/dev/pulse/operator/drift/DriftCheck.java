package dev.pulse.operator.drift;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.api.v1alpha1.metric.ReconciliationSpec;
import dev.pulse.operator.config.PulseConfig;
import dev.pulse.operator.serving.ServingDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daily drift check of Metrics with {@code spec.reconciliation}: decides whether a day is due
 * (the next closed day, or the one asked for with the annotation {@code pulse.dev/reconcile-now:
 * "YYYY-MM-DD"}), connects to the serving store and the named batch source (read-only) and
 * compares. Runs in the Metric's reconcile; every statement has the probe timeout.
 */
@ApplicationScoped
public class DriftCheck {
    /** Annotation asking for a comparison of the given day now. */
    public static final String RECONCILE_NOW = "pulse.dev/reconcile-now";

    /**
     * @param outcome the day compared now, or null when none was due
     * @param recheckAfter when to look again
     */
    public record Result(DriftOutcome outcome, Duration recheckAfter) {
    }

    private final PulseConfig config;
    private final Clock clock;
    /** The reconcile-now value handled per Metric uid, so an annotation left in place runs once (per operator start). */
    private final Map<String, String> handled = new ConcurrentHashMap<>();
    /** Per Metric uid: no new attempt at a day that could not be compared before this time (the reconcile runs every probe round). */
    private final Map<String, Instant> backoff = new ConcurrentHashMap<>();

    private final ServingDatabase database;

    public DriftCheck(PulseConfig config, Clock clock, ServingDatabase database) {
        this.database = database;
        this.config = config;
        this.clock = clock;
    }

    /** Whether the Metric's previous drift day and annotation make a day due now, and that day compared. */
    public Result check(Metric metric, AnalysisPlan plan) {
        ReconciliationSpec spec = metric.getSpec().getReconciliation();
        Instant now = clock.instant();
        ZoneId zone;
        try {
            zone = ZoneId.of(spec.getTimeZone() == null ? "UTC" : spec.getTimeZone());
        } catch (DateTimeException e) {
            return new Result(DriftOutcome.of(null, DriftOutcome.Kind.NOT_COMPARABLE,
                    "spec.reconciliation.timeZone: '" + spec.getTimeZone() + "' is not an IANA time zone"), Duration.ofHours(1));
        }
        Duration delay = config.probes().driftDelay();
        var status = metric.getStatus();
        LocalDate last = status == null || status.getDrift() == null || status.getDrift().getDay() == null ? null
                : LocalDate.parse(status.getDrift().getDay());
        String uid = metric.getMetadata().getUid();
        String asked = metric.getMetadata().getAnnotations() == null ? null : metric.getMetadata().getAnnotations().get(RECONCILE_NOW);
        LocalDate day = null;
        if (asked != null && !asked.equals(handled.get(uid))) {
            handled.put(uid, asked);
            try {
                day = LocalDate.parse(asked.trim());
            } catch (DateTimeParseException e) {
                return new Result(DriftOutcome.of(last, DriftOutcome.Kind.NOT_COMPARABLE, "annotation " + RECONCILE_NOW + ": '" + asked
                        + "' is not a day (YYYY-MM-DD)"), DriftSchedule.untilNext(last, now, zone, delay));
            }
        }
        if (day == null) {
            Instant retryAt = backoff.get(uid);
            if (retryAt != null && now.isBefore(retryAt)) {
                return new Result(null, Duration.between(now, retryAt));
            }
            day = DriftSchedule.due(last, now, zone, delay);
        }
        if (day == null) {
            return new Result(null, DriftSchedule.untilNext(last, now, zone, delay));
        }
        if (plan == null) {
            return new Result(null, Duration.ofMinutes(1));
        }
        DriftOutcome outcome = compare(metric.getMetadata().getNamespace(), spec, plan, day, zone);
        boolean failed = outcome.kind() != DriftOutcome.Kind.COMPARED && outcome.kind() != DriftOutcome.Kind.BATCH_ROW_MISSING;
        if (failed) {
            backoff.put(uid, now.plus(config.probes().driftRetry()));
        } else {
            backoff.remove(uid);
        }
        LocalDate compared = failed ? last : day;
        Duration next = failed ? config.probes().driftRetry() : DriftSchedule.due(compared, now, zone, delay) != null ? Duration.ofSeconds(1)
                : DriftSchedule.untilNext(compared, now, zone, delay);
        return new Result(outcome, next);
    }

    private DriftOutcome compare(String namespace, ReconciliationSpec spec, AnalysisPlan plan, LocalDate day, ZoneId zone) {
        Optional<String> servingUrl = config.jdbc().url();
        if (servingUrl.isEmpty()) {
            return DriftOutcome.of(day, DriftOutcome.Kind.SERVING_NOT_CONFIGURED, "the operator has no serving database to read the streaming day from: set pulse.jdbc.url");
        }
        Map<String, PulseConfig.BatchSource> available = available(namespace);
        PulseConfig.BatchSource source = available.get(spec.getSource());
        if (source == null) {
            // a source that exists but is not allowed here reads like one that does not: a namespace learns only its own
            return DriftOutcome.of(day, DriftOutcome.Kind.SOURCE_NOT_CONFIGURED, "spec.reconciliation.source: no batch source '" + spec.getSource()
                    + "' is available to namespace '" + namespace + "' (available: " + available.keySet()
                    + "; the platform team allows each source for a list of namespaces: chart value batchSources[].namespaces)");
        }
        int timeout = (int) Math.max(1, config.probes().timeout().toSeconds());
        // both connections time out on connect, login and every read: a hung database fails the check, not the reconcile
        try (Connection serving = database.connect()) {
            try (Connection batch = ServingDatabase.open(source.jdbcUrl(), source.username(), source.password(), config.jdbc().connectTimeout(),
                    config.probes().timeout().plus(config.jdbc().connectTimeout()))) {
                batch.setReadOnly(true);
                return DayComparer.compare(spec, plan, day, zone, serving, batch, timeout);
            } catch (SQLException e) {
                return DriftOutcome.of(day, DriftOutcome.Kind.FAILED, ServingDatabase.describe(e, "batch source '" + spec.getSource() + "'"));
            }
        } catch (SQLException e) {
            return DriftOutcome.of(day, DriftOutcome.Kind.FAILED, ServingDatabase.describe(e));
        }
    }

    /** The batch sources Metrics of the namespace may use, by name. */
    Map<String, PulseConfig.BatchSource> available(String namespace) {
        Map<String, PulseConfig.BatchSource> out = new TreeMap<>();
        config.batchSources().forEach((name, source) -> {
            if (source.allows(namespace)) {
                out.put(name, source);
            }
        });
        return out;
    }
}
