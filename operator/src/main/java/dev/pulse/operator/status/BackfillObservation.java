package dev.pulse.operator.status;

import dev.pulse.api.plan.BackfillPlan;
import dev.pulse.api.v1alpha1.common.BackfillStatus;
import dev.pulse.operator.health.BackfillReading;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the deployed version of an analysis stands on its history, from its plan, the progress of
 * its history read and the version the serving API answers from.
 *
 * @param version the deployed version (semantic hash)
 * @param plan its backfill as pinned in the deployed plan, or null
 * @param reading the latest progress of its history read, or null when not probed yet
 * @param servingVersion the version the catalog has active, or null when unknown
 */
public record BackfillObservation(String version, BackfillPlan plan, BackfillReading reading, String servingVersion) {

    /**
     * Whether the version is still catching up: it reads history that is not read yet, or the API
     * still answers from another version (the cutover waits until the new one reached the old one).
     */
    public boolean backfilling() {
        if (plan == null || !plan.readsHistory()) {
            return false;
        }
        if (reading != null && reading.error() == null && !reading.finished()) {
            return true;
        }
        return servingVersion != null && !version.equals(servingVersion);
    }

    /** {@code status.backfill} while backfilling. */
    public BackfillStatus status(Instant now) {
        BackfillStatus s = new BackfillStatus();
        s.setVersion(version);
        long from = plan.countFromMs();
        s.setFrom(from == Long.MIN_VALUE ? null : Instant.ofEpochMilli(from).toString());
        s.setTo(Instant.ofEpochMilli(plan.pinnedAtMs()).toString());
        Map<String, Long> handOver = new TreeMap<>();
        plan.handOver().forEach((p, o) -> handOver.put(String.valueOf(p), o));
        s.setHandOver(handOver);
        if (reading != null && reading.error() == null) {
            s.setRecordsDone(reading.recordsDone());
            s.setRecordsTotal(reading.recordsTotal());
            s.setProgress(Math.floor(reading.progress() * 1000) / 1000);
            long elapsed = now.toEpochMilli() - plan.pinnedAtMs();
            long left = reading.recordsTotal() - reading.recordsDone();
            if (reading.recordsDone() > 0 && elapsed > 0 && left > 0) {
                double perMs = (double) reading.recordsDone() / elapsed;
                s.setEstimatedFinish(now.plusMillis((long) (left / perMs)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            }
        }
        return s;
    }

    /** The Ready=False message while backfilling. */
    public String message() {
        StringBuilder m = new StringBuilder("computing the history of version ").append(version);
        if (reading != null && reading.error() == null) {
            if (reading.finished()) {
                m.append(": history read");
            } else {
                m.append(String.format(": %.1f%% (%d of %d records)", reading.progress() * 100, reading.recordsDone(), reading.recordsTotal()));
            }
        }
        if (servingVersion != null && !servingVersion.equals(version)) {
            m.append("; the API answers from version ").append(servingVersion).append(" until this one has reached its latest final window");
        }
        return m.toString();
    }
}
