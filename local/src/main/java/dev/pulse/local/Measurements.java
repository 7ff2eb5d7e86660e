package dev.pulse.local;

import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.testsupport.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the stack measures about itself, printed and appended to {@code logs/measurements.txt}: the
 * time to the first number, and the peak memory of every process at the stop.
 */
final class Measurements {
    private final DataDirectory data;
    private final Progress progress;
    private final long startedAtMillis = System.currentTimeMillis();
    private volatile String firstNumber;

    Measurements(DataDirectory data, Progress progress) {
        this.data = data;
        this.progress = progress;
    }

    /**
     * Time to the first number: the first row this run wrote (PostgreSQL keeps earlier runs' rows)
     * in any serving table the catalog lists, measured once; until then, call again.
     */
    void probeFirstNumber(Postgres postgres) {
        if (firstNumber != null) {
            return;
        }
        try (Connection c = postgres.connect(); Statement st = c.createStatement()) {
            for (Catalog.Entry table : Catalog.read(c)) {
                TableLayout detail = table.detail();
                String sql = "select exists (select 1 from " + detail.qualifiedName() + " where " + TableLayout.quote(TableLayout.UPDATED_AT)
                        + " >= to_timestamp(" + startedAtMillis / 1000.0 + "))";
                try (ResultSet rs = st.executeQuery(sql)) {
                    if (rs.next() && rs.getBoolean(1)) {
                        firstNumber = detail.schema() + "." + detail.table();
                        progress.step("first", String.format("first metric row in PostgreSQL after %.1f s (%s)", progress.seconds(), firstNumber));
                        record("first_metric_row_seconds", String.format("%.1f", progress.seconds()));
                        return;
                    }
                }
            }
        } catch (Exception e) {
            // PostgreSQL not ready or tables being created: try again next time
        }
    }

    /** Peak resident memory of the stack's JVM, PostgreSQL and {@code children}, and their sum. */
    void reportPeakMemory(List<ChildJvm> children) {
        List<String> parts = new ArrayList<>();
        long total = 0;
        long self = ChildJvm.peakRssMb(ProcessHandle.current().pid());
        if (self > 0) {
            parts.add("stack " + self + " MB");
            total += self;
        }
        long pg = postgresPeakRssMb();
        if (pg > 0) {
            parts.add("postgres " + pg + " MB");
            total += pg;
        }
        for (ChildJvm c : children) {
            long mb = c.peakRssMb();
            if (mb > 0) {
                parts.add(c.name() + " " + mb + " MB");
                total += mb;
            }
        }
        if (!parts.isEmpty()) {
            progress.step("memory", "peak RSS per process: " + String.join(", ", parts) + " (sum " + total + " MB)");
            record("peak_rss_mb", total + " (" + String.join(", ", parts) + ")");
        }
    }

    /** The postmaster and its backends (their shared memory counted once per process: an upper bound). */
    private long postgresPeakRssMb() {
        try {
            String pid = Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(0).trim();
            var postmaster = ProcessHandle.of(Long.parseLong(pid));
            if (postmaster.isEmpty()) {
                return -1;
            }
            long sum = ChildJvm.peakRssMb(postmaster.get().pid());
            for (ProcessHandle h : postmaster.get().descendants().toList()) {
                sum += Math.max(0, ChildJvm.peakRssMb(h.pid()));
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void record(String key, String value) {
        try {
            Files.writeString(data.logs().resolve("measurements.txt"), Instant.now() + " " + key + "=" + value + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // a measurement is not worth failing for
        }
    }
}
