package dev.pulse.serving;

import static dev.pulse.api.serving.TableLayout.quote;

import dev.pulse.api.serving.TableLayout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * When a cached answer is still the answer: its range's rows are the ones it read. An answer is
 * computed in one read-only repeatable-read transaction, whose snapshot ({@code
 * pg_current_snapshot()}) and start ({@code now()}) it keeps, with its range's clamped latest final
 * window end ({@link #clamp}). It stays valid while
 * <ul>
 * <li>no row whose window starts in its range was written by a transaction its snapshot did not see:
 * one probe over the {@code (updated_at)} index, {@code updated_at > asOf - slack}, range and
 * {@code xmin} checked on the few rows written since. A row's {@code updated_at} is its writer's
 * transaction start ({@code now()}); {@code slack} ({@code pulse.serving.cache-write-slack}) covers
 * a write transaction that began before the answer's and committed after it;</li>
 * <li>and the latest final window end, clamped to the range, is unchanged (a coarse point's
 * finality depends on it even when the window that turned final lies outside the range).</li>
 * </ul>
 * A write to windows outside the range (the open window, late rows elsewhere) leaves the answer
 * valid. Each successful probe moves the answer's snapshot forward to the probe's, so the rows a
 * probe looks at are only those written since the previous one (plus {@code slack}).
 */
final class Freshness {
    private Freshness() {
    }

    /**
     * What an answer was computed at.
     *
     * @param asOf the database's {@code now()} of the reading transaction
     * @param snapshot its {@code pg_current_snapshot()}, as text
     * @param finalClamp the latest final window end clamped to the range (null when none is final)
     */
    record AsOf(Instant asOf, String snapshot, Instant finalClamp) {
    }

    /**
     * The transaction's snapshot and start, with the range's clamped latest final window end; in a
     * repeatable-read transaction, after its first statement, it is the snapshot every read of the
     * answer uses.
     */
    static AsOf now(Connection c, Instant latestFinal, Instant from, Instant to) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_current_snapshot()::text, now()");
                ResultSet r = s.executeQuery()) {
            r.next();
            return new AsOf(r.getTimestamp(2).toInstant(), r.getString(1), clamp(latestFinal, from, to));
        }
    }

    /**
     * Whether an answer computed at {@code at} over windows starting in [from, to) is still valid;
     * when it is, the instant it is now valid at (to keep in place of {@code at}), else null.
     */
    static AsOf stillValid(Connection c, TableLayout table, AsOf at, Instant from, Instant to, long slackMs) throws SQLException {
        String start = quote(TableLayout.WINDOW_START);
        // a row's xmin is 32 bits; rows written since the answer are within 2^31 transactions of its snapshot's xmax
        String xid8 = "(? + ((xmin::text::bigint - ? + 6442450944) % 4294967296) - 2147483648)::text::xid8";
        String sql = "SELECT pg_current_snapshot()::text, now(), " + latestFinal(table) + ", EXISTS (SELECT 1 FROM " + table.qualifiedName()
                + " WHERE " + quote(TableLayout.UPDATED_AT) + " > ? AND " + start + " >= ? AND " + start + " < ?"
                + " AND NOT pg_visible_in_snapshot(" + xid8 + ", ?::pg_snapshot))";
        long xmax = snapshotXmax(at.snapshot());
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(at.asOf().minusMillis(slackMs)));
            s.setTimestamp(2, Timestamp.from(from));
            s.setTimestamp(3, Timestamp.from(to));
            s.setLong(4, xmax);
            s.setLong(5, xmax & 0xffffffffL);
            s.setString(6, at.snapshot());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                Instant clamp = clamp(instant(r.getTimestamp(3)), from, to);
                if (r.getBoolean(4) || !java.util.Objects.equals(clamp, at.finalClamp())) {
                    return null;
                }
                return new AsOf(r.getTimestamp(2).toInstant(), r.getString(1), clamp);
            }
        }
    }

    /** The latest final window end, as a scalar subquery (the {@code (window_end) WHERE final} index). */
    private static String latestFinal(TableLayout table) {
        return "(SELECT max(" + quote(TableLayout.WINDOW_END) + ") FROM " + table.qualifiedName() + " WHERE " + quote(TableLayout.FINAL) + ")";
    }

    /**
     * The latest final window end as far as a range's answer can tell: before {@code from} every
     * point in it is undecided alike, at or after {@code to} (a point ends at most at the range's
     * rounded end) every point is decided alike.
     */
    static Instant clamp(Instant latestFinal, Instant from, Instant to) {
        if (latestFinal == null) {
            return null;
        }
        return latestFinal.isBefore(from) ? from : latestFinal.isAfter(to) ? to : latestFinal;
    }

    /** The xmax of a {@code pg_snapshot}'s text {@code xmin:xmax:xip,...}. */
    static long snapshotXmax(String snapshot) {
        String[] parts = snapshot.split(":", 3);
        return Long.parseLong(parts[1]);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
