package dev.pulse.pipeline;

import dev.pulse.api.plan.DeadLetters.Reason;
import dev.pulse.pipeline.ShopEvents.ShopEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Hostile input for the test stream (docs/bad-events.md): records of every malformed reason, and
 * records that look bad but are fine, mixed into good events. Each line says what it must be: a
 * dead letter with its reason, or the event it counts as (written independently of the parser).
 */
final class BadRecords {
    /** The test stream's definitions with limits small enough to test, and a field no analysis reads. */
    static final String DEFINITIONS = ShopEvents.DEFINITIONS
            .replace("  watermark: {maxOutOfOrderness: 5s, idleTimeout: 1m}\n",
                    "  watermark: {maxOutOfOrderness: 5s, idleTimeout: 1m, maxFutureSkew: 1h}\n"
                            + "  limits: {maxRecordBytes: 2048, maxValueLength: 64}\n")
            .replace("    - {name: premium, type: boolean}\n", "    - {name: premium, type: boolean}\n    - {name: coupon, type: long}\n");

    private static final long T = ShopEvents.T0;
    private static final long MINUTE = 60_000;

    /**
     * One input line: its JSON text, and either the reason it is malformed or the event it counts as.
     * {@code aheadMs}: how far its event time is ahead of the record's own time (its Kafka timestamp).
     */
    record Line(String json, Reason reason, ShopEvent event, long aheadMs) {
        boolean malformed() {
            return reason != null;
        }
    }

    private BadRecords() {
    }

    private static Line bad(Reason reason, String json) {
        return new Line(json, reason, null, 0);
    }

    private static Line fine(String json, ShopEvent counts) {
        return new Line(json, null, counts, 0);
    }

    /** Malformed records: every reason at least once, some twice. */
    static List<Line> lines() {
        List<Line> l = new ArrayList<>();
        long t = T + 61_000;
        l.add(bad(Reason.TOO_LARGE, "{\"event\":\"purchase\",\"ts\":" + t + ",\"platform\":\"ios\",\"pad\":\"" + "x".repeat(2100) + "\"}"));
        l.add(bad(Reason.TOO_LARGE, "not json at all " + "y".repeat(2100)));
        l.add(bad(Reason.NOT_JSON, "this is not json"));
        l.add(bad(Reason.NOT_JSON, "{\"event\":\"purchase\",\"ts\":" + t + ",\"platform\":\"ios\"}}"));
        l.add(bad(Reason.NOT_JSON, "{\"event\":\"purchase\",\"ts\":" + t + ",\"x\":" + "[".repeat(70) + "]".repeat(70) + "}"));
        l.add(bad(Reason.NOT_JSON, "{\"event\":\"purchase\",\"ts\":" + t));
        l.add(bad(Reason.NOT_OBJECT, "[1,2,3]"));
        l.add(bad(Reason.NOT_OBJECT, "\"purchase\""));
        l.add(bad(Reason.NO_TIME, "{\"event\":\"purchase\",\"user_id\":\"u-1\",\"platform\":\"ios\"}"));
        l.add(bad(Reason.NO_TIME, "{\"event\":\"purchase\",\"ts\":null,\"amount\":\"wrong too\"}"));
        l.add(bad(Reason.BAD_TIME, "{\"event\":\"view\",\"ts\":\"yesterday\"}"));
        l.add(bad(Reason.BAD_TIME, "{\"event\":\"purchase\",\"ts\":-5,\"platform\":\"ios\"}"));
        l.add(bad(Reason.BAD_TIME, "{\"event\":\"purchase\",\"ts\":9223372036854775807,\"platform\":\"ios\"}"));
        l.add(bad(Reason.FUTURE_TIME, "{\"event\":\"purchase\",\"ts\":4102444800000,\"user_id\":\"u-2\",\"platform\":\"ios\",\"amount\":5}"));
        l.add(bad(Reason.WRONG_TYPE, "{\"event\":\"purchase\",\"ts\":" + t + ",\"amount\":\"12.5\"}"));
        l.add(bad(Reason.WRONG_TYPE, "{\"event\":\"purchase\",\"ts\":" + t + ",\"quantity\":1.5}"));
        l.add(bad(Reason.WRONG_TYPE, "{\"event\":\"purchase\",\"ts\":" + t + ",\"platform\":{\"name\":\"ios\"}}"));
        l.add(bad(Reason.WRONG_TYPE, "{\"event\":\"purchase\",\"ts\":" + t + ",\"user_id\":[\"u-1\"]}"));
        l.add(bad(Reason.WRONG_TYPE, "{\"event\":\"purchase\",\"ts\":" + t + ",\"premium\":\"yes\"}"));
        // a field no analysis reads decides too: a record's fate depends only on its stream
        l.add(bad(Reason.WRONG_TYPE, "{\"event\":\"purchase\",\"ts\":" + t + ",\"platform\":\"ios\",\"coupon\":\"SAVE10\"}"));
        // order: the wrong type wins over the bad number before it in the document
        l.add(bad(Reason.WRONG_TYPE, "{\"amount\":1e400,\"event\":\"purchase\",\"ts\":" + t + ",\"platform\":{}}"));
        l.add(bad(Reason.BAD_NUMBER, "{\"event\":\"purchase\",\"ts\":" + t + ",\"platform\":\"ios\",\"amount\":1e400}"));
        l.add(bad(Reason.BAD_NUMBER, "{\"event\":\"purchase\",\"ts\":" + t + ",\"quantity\":1e30}"));
        l.add(bad(Reason.BAD_STRING, "{\"event\":\"purchase\",\"ts\":" + t + ",\"platform\":\"i\\u0000os\",\"amount\":3}"));
        l.add(bad(Reason.BAD_STRING, "{\"event\":\"purchase\",\"ts\":" + t + ",\"platform\":\"" + "p".repeat(65) + "\"}"));
        l.add(bad(Reason.BAD_STRING, "{\"event\":\"pur\\u0000chase\",\"ts\":" + t + "}"));
        l.add(bad(Reason.BAD_STRING, "{\"event\":\"purchase\",\"ts\":" + t + ",\"user_id\":\"" + "u".repeat(65) + "\"}"));
        // order: the bad time wins over the bad string before it
        l.add(bad(Reason.BAD_TIME, "{\"platform\":\"\\u0000\",\"event\":\"purchase\",\"ts\":\"noon\"}"));

        return l;
    }

    /**
     * Records that look bad but are fine, at event time {@code at} (the slot of the events they are
     * put among, so they are never late), and two events 50 minutes ahead of their records' time.
     */
    static List<Line> fine(long at) {
        List<Line> l = new ArrayList<>();
        // look bad, are fine: a string field holding a number, a long written 2.0, unknown
        // properties with anything JSON in them, a missing actor, 64 characters exactly
        long f = at;
        l.add(fine("{\"event\":\"purchase\",\"ts\":" + f + ",\"user_id\":\"u-7\",\"platform\":7,\"country\":\"US\",\"amount\":10,"
                + "\"quantity\":2.0,\"premium\":true,\"junk\":{\"a\":[1e400,\"\\u0000\",{\"b\":null}]},\"more\":\"" + "z".repeat(300) + "\"}",
                new ShopEvent("purchase", "u-7", f, "7", "US", 10.0, 2L, true, false)));
        l.add(fine("{\"event\":\"purchase\",\"ts\":" + (f + 1) + ",\"platform\":\"" + "w".repeat(64) + "\",\"amount\":1.5e2,\"coupon\":null}",
                new ShopEvent("purchase", null, f + 1, "w".repeat(64), null, 150.0, null, null, false)));
        l.add(fine("{\"event\":\"checkout_start\",\"ts\":" + (f + 2) + ",\"user_id\":123,\"platform\":true,\"country\":\"DE\",\"coupon\":5}",
                new ShopEvent("checkout_start", "123", f + 2, "true", "DE", null, null, null, false)));
        // an event time 50 minutes ahead of its record's Kafka timestamp: within maxFutureSkew, so it
        // counts; the watermark follows the record's timestamp, so the events after it are not late
        long ahead = 50 * MINUTE;
        long a = at + ahead;
        l.add(new Line("{\"event\":\"purchase\",\"ts\":" + a + ",\"user_id\":\"u-9\",\"platform\":\"web\",\"country\":\"FR\",\"amount\":42.0}",
                null, new ShopEvent("purchase", "u-9", a, "web", "FR", 42.0, null, null, false), ahead));
        // (twice, one after the other: the streaming test puts them on different partitions, so both
        // partitions' watermarks would run ahead without that rule)
        l.add(new Line("{\"event\":\"view\",\"ts\":" + (a + 1) + ",\"user_id\":\"u-9\",\"quantity\":3,\"premium\":false}",
                null, new ShopEvent("view", "u-9", a + 1, null, null, null, 3L, false, false), ahead));
        return l;
    }

    /** The good events with the lines mixed in, in input order; {@code every}: one line after every so many events. */
    static List<Line> mixed(List<ShopEvent> events, int every, long spacingMs) {
        List<Line> lines = lines();
        List<Line> out = new ArrayList<>();
        int next = 0;
        int fineAt = events.size() * 3 / 4;
        for (int i = 0; i < events.size(); i++) {
            out.add(new Line(events.get(i).json(), null, events.get(i), 0));
            if (i % every == every - 1 && next < lines.size()) {
                out.add(lines.get(next++));
            }
            if (i == fineAt) {
                out.addAll(fine(ShopEvents.T0 + i * spacingMs));
            }
        }
        while (next < lines.size()) {
            out.add(lines.get(next++));
        }
        return out;
    }

    /** The events that count, for the independent computation. */
    static List<ShopEvent> counted(List<Line> input) {
        return input.stream().filter(l -> !l.malformed()).map(Line::event).toList();
    }
}
