package dev.pulse.pipeline.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.DeadLetters.Reason;
import dev.pulse.api.plan.FieldPlan;
import dev.pulse.api.plan.StreamPlan;
import dev.pulse.api.v1alpha1.eventstream.FieldType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Admission of one record (docs/bad-events.md): each reason, and the order they are decided in. */
public class EventParserTest {
    /** A stream with the default limits. */
    public static StreamPlan stream(String timestampFormat) {
        return stream(timestampFormat, 1_048_576, 256);
    }

    static StreamPlan stream(String timestampFormat, int maxRecordBytes, int maxValueLength) {
        return new StreamPlan("growth", "shop-events", "shop-events", "pulse.growth.shop-events", "json", "event", "user_id", "ts",
                timestampFormat, 5000, 60000, 3_600_000, maxRecordBytes, maxValueLength,
                List.of(new FieldPlan("amount", FieldType.DOUBLE), new FieldPlan("platform", FieldType.STRING),
                        new FieldPlan("premium", FieldType.BOOLEAN), new FieldPlan("quantity", FieldType.LONG)), 1, false);
    }

    private static final long NOW = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, the reference time
    private static final long HOUR = 3_600_000L;

    private final EventLayout layout = new EventLayout(stream("epochMillis", 400, 16));
    private final EventParser parser = new EventParser(layout);

    private Event parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private Reason reason(String json) {
        Event e = parse(json);
        if (e.isMalformed()) {
            assertThat(e.detail).as("detail of %s", json).isNotBlank();
        }
        return e.reason;
    }

    private static String nested(int depth) {
        // the root object is level 1, each array one more
        return "{\"ts\":1,\"x\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
    }

    @Test
    void readsEveryDeclaredFieldIntoTypedSlots() {
        Event e = parse("{\"event\":\"purchase\",\"user_id\":42,\"ts\":1767225600000,\"amount\":12,\"platform\":\"ios\","
                + "\"premium\":true,\"quantity\":3,\"other\":{\"deep\":[1,{\"a\":2}]}}");
        assertThat(e.isMalformed()).isFalse();
        assertThat(e.type).isEqualTo("purchase");
        assertThat(e.actor).isEqualTo("42");
        assertThat(e.time).isEqualTo(1767225600000L);
        assertThat(layout.field("amount").number(e)).isEqualTo(12.0);
        assertThat(layout.field("platform").text(e)).isEqualTo("ios");
        assertThat(layout.field("premium").text(e)).isEqualTo("true");
        assertThat(layout.field("quantity").longValue(e)).isEqualTo(3);
        assertThat(e.value).as("a good event keeps no bytes").isNull();
    }

    @Test
    void recordsThatLookBadButAreFine() {
        // a string field takes any scalar as its text; a long takes a number with a zero fraction;
        // unknown properties may hold anything JSON; a missing event type or actor is not malformed
        Event e = parse("{\"ts\":1000,\"platform\":12.50,\"event\":true,\"quantity\":3.0,\"amount\":1e-400,"
                + "\"unknown\":{\"a\":[1e400,\"\\u0000\",\"" + "y".repeat(100) + "\"]}}");
        assertThat(e.reason).isNull();
        assertThat(layout.field("platform").text(e)).isEqualTo("12.50");
        assertThat(e.type).isEqualTo("true");
        assertThat(layout.field("quantity").longValue(e)).isEqualTo(3);
        assertThat(layout.field("amount").number(e)).isEqualTo(0.0);
        assertThat(layout.field("user_id").isPresent(e)).isFalse();
        assertThat(reason("{\"ts\":1,\"quantity\":-2.000e3}")).isNull();
        assertThat(reason(nested(EventParser.MAX_DEPTH))).isNull();
        assertThat(reason("{\"ts\":" + (NOW + HOUR) + "}")).as("exactly maxFutureSkew ahead").isNull();
        assertThat(reason("{\"ts\":0}")).as("1970-01-01T00:00:00Z").isNull();
        assertThat(reason("{\"ts\":1,\"platform\":\"" + "é".repeat(16) + "\"}")).as("16 characters, 32 bytes").isNull();
    }

    @Test
    void jsonNullIsMissing() {
        Event e = parse("{\"event\":null,\"ts\":5,\"amount\":null,\"platform\":null,\"premium\":null}");
        assertThat(e.isMalformed()).isFalse();
        for (String f : List.of("event", "user_id", "amount", "platform", "premium", "quantity")) {
            assertThat(layout.field(f).isPresent(e)).as(f).isFalse();
        }
    }

    @Test
    void tooLarge() {
        String big = "{\"ts\":1,\"x\":\"" + "a".repeat(400) + "\"}";
        assertThat(reason(big)).isEqualTo(Reason.TOO_LARGE);
        assertThat(reason("[" + "x".repeat(400))).as("before anything else").isEqualTo(Reason.TOO_LARGE);
        assertThat(parse(big).detail).contains(big.length() + " bytes").contains("(400)");
    }

    @Test
    void notJson() {
        for (String s : List.of("nope", "", "   ", "{\"ts\":1", "{\"ts\":1,}", "{\"ts\":1} {\"ts\":2}", "{\"ts\":1} x", "{\"ts\":NaN}",
                "[1,", "{'ts':1}", nested(EventParser.MAX_DEPTH + 1))) {
            assertThat(reason(s)).as(s).isEqualTo(Reason.NOT_JSON);
        }
        assertThat(parse(nested(65)).detail).contains("deeper than 64");
        assertThat(parse("{\"ts\":1} {\"ts\":2}").detail).contains("after the JSON object");
    }

    @Test
    void notObject() {
        for (String s : List.of("[1]", "\"text\"", "12", "null", "true", "[{\"ts\":1}]")) {
            assertThat(reason(s)).as(s).isEqualTo(Reason.NOT_OBJECT);
        }
    }

    @Test
    void noTime() {
        assertThat(reason("{\"event\":\"x\"}")).isEqualTo(Reason.NO_TIME);
        assertThat(reason("{\"ts\":null}")).isEqualTo(Reason.NO_TIME);
        assertThat(reason("{\"ts\":5,\"ts\":null}")).as("the last value of a repeated property counts").isEqualTo(Reason.NO_TIME);
    }

    @Test
    void badTime() {
        for (String ts : List.of("\"1767225600000\"", "true", "{}", "[1]", "-1", "-0.5", "1e400", "99999999999999999999",
                "253402300800000", "9.3e18")) {
            assertThat(reason("{\"ts\":" + ts + "}")).as(ts).isEqualTo(Reason.BAD_TIME);
        }
        EventParser seconds = new EventParser(new EventLayout(stream("epochSeconds")));
        for (String ts : List.of("9200000000000000", "9223372036854775807", "-9223372036854775808", "253402300800", "1e300", "\"1\"")) {
            assertThat(seconds.parse(("{\"ts\":" + ts + "}").getBytes(StandardCharsets.UTF_8), NOW).reason).as(ts).isEqualTo(Reason.BAD_TIME);
        }
        assertThat(seconds.parse("{\"ts\":1767225600.25}".getBytes(StandardCharsets.UTF_8), NOW).time).isEqualTo(1767225600250L);
        EventParser iso = new EventParser(new EventLayout(stream("iso8601")));
        for (String ts : List.of("\"soon\"", "\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59Z\"",
                "\"10000-01-01T00:00:00Z\"", "\"2026-02-30T00:00:00Z\"", "1767225600000", "\"2026-01-01T00:00:00\\u0000Z\"")) {
            Event e = iso.parse(("{\"ts\":" + ts + "}").getBytes(StandardCharsets.UTF_8), NOW);
            assertThat(e.reason).as(ts).isEqualTo(Reason.BAD_TIME);
            assertThat(e.detail).contains("'ts'");
        }
        assertThat(iso.parse("{\"ts\":\"2026-01-01T01:00:00+01:00\"}".getBytes(StandardCharsets.UTF_8), NOW).time).isEqualTo(NOW);
        assertThat(iso.parse("{\"ts\":\"2026-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8), NOW).time).isEqualTo(NOW);
    }

    @Test
    void futureTime() {
        assertThat(reason("{\"ts\":" + (NOW + HOUR + 1) + "}")).isEqualTo(Reason.FUTURE_TIME);
        assertThat(reason("{\"ts\":4102444800000}")).as("2100").isEqualTo(Reason.FUTURE_TIME);
        assertThat(parser.parse(("{\"ts\":" + (NOW + 2 * HOUR) + "}").getBytes(StandardCharsets.UTF_8), NOW + HOUR).reason)
                .as("against the reference passed in").isNull();
        assertThat(parser.parse("{\"ts\":4102444800000}".getBytes(StandardCharsets.UTF_8), EventParser.NO_REFERENCE).reason)
                .as("no reference, no check").isNull();
    }

    @Test
    void wrongType() {
        for (String s : List.of("{\"ts\":1,\"platform\":{}}", "{\"ts\":1,\"platform\":[\"ios\"]}", "{\"ts\":1,\"event\":[]}",
                "{\"ts\":1,\"user_id\":{\"id\":1}}", "{\"ts\":1,\"amount\":\"1\"}", "{\"ts\":1,\"amount\":true}",
                "{\"ts\":1,\"quantity\":1.5}", "{\"ts\":1,\"quantity\":\"3\"}", "{\"ts\":1,\"premium\":\"true\"}", "{\"ts\":1,\"premium\":1}")) {
            assertThat(reason(s)).as(s).isEqualTo(Reason.WRONG_TYPE);
        }
        assertThat(parse("{\"ts\":1,\"quantity\":1.5}").detail).contains("'quantity'").contains("long");
    }

    @Test
    void badNumber() {
        for (String s : List.of("{\"ts\":1,\"amount\":1e400}", "{\"ts\":1,\"amount\":-1e400}", "{\"ts\":1,\"quantity\":1e400}",
                "{\"ts\":1,\"quantity\":99999999999999999999}", "{\"ts\":1,\"quantity\":1e30}")) {
            assertThat(reason(s)).as(s).isEqualTo(Reason.BAD_NUMBER);
        }
    }

    @Test
    void badString() {
        for (String s : List.of("{\"ts\":1,\"event\":\"pur\\u0000chase\"}", "{\"ts\":1,\"user_id\":\"" + "u".repeat(17) + "\"}",
                "{\"ts\":1,\"platform\":\"" + "p".repeat(17) + "\"}", "{\"ts\":1,\"platform\":12345678901234567}")) {
            assertThat(reason(s)).as(s).isEqualTo(Reason.BAD_STRING);
        }
        assertThat(parse("{\"ts\":1,\"platform\":\"" + "p".repeat(17) + "\"}").detail).contains("17 characters").contains("16");
    }

    @Test
    void theFirstReasonInTheOrderWinsWhereverItsProblemIsInTheRecord() {
        // pairs of problems, in both orders in the document: the earlier reason in DeadLetters.Reason wins
        List<String[]> pairs = List.of(
                new String[] {"\"amount\":\"x\"", "\"ts\":\"late\"", "BAD_TIME"},
                new String[] {"\"amount\":\"x\"", "\"ts\":" + (NOW + 2 * HOUR), "FUTURE_TIME"},
                new String[] {"\"amount\":1e400", "\"platform\":{}", "WRONG_TYPE"},
                new String[] {"\"platform\":\"a\\u0000\"", "\"quantity\":\"1\"", "WRONG_TYPE"},
                new String[] {"\"platform\":\"a\\u0000\"", "\"amount\":1e400", "BAD_NUMBER"},
                new String[] {"\"user_id\":\"" + "u".repeat(40) + "\"", "\"premium\":0", "WRONG_TYPE"});
        for (String[] p : pairs) {
            Reason expected = Reason.valueOf(p[2]);
            String time = p[1].startsWith("\"ts\"") ? "" : "\"ts\":1,";
            assertThat(reason("{" + time + p[0] + "," + p[1] + "}")).as("%s then %s", p[0], p[1]).isEqualTo(expected);
            assertThat(reason("{" + time + p[1] + "," + p[0] + "}")).as("%s then %s", p[1], p[0]).isEqualTo(expected);
        }
        // no time, however bad the rest
        assertThat(reason("{\"amount\":\"x\",\"platform\":\"\\u0000\",\"quantity\":1e400}")).isEqualTo(Reason.NO_TIME);
        assertThat(reason("{\"amount\":\"x\",\"ts\":null}")).isEqualTo(Reason.NO_TIME);
        // broken JSON after an otherwise bad event: not JSON
        assertThat(reason("{\"amount\":\"x\",\"ts\":\"late\"} trailing")).isEqualTo(Reason.NOT_JSON);
        assertThat(reason("{\"amount\":\"x\",\"deep\":" + "[".repeat(70) + "]".repeat(70) + "}")).isEqualTo(Reason.NOT_JSON);
        assertThat(reason("[" + "[".repeat(70) + "]".repeat(70) + "]")).as("too deep before not an object").isEqualTo(Reason.NOT_JSON);
    }

    @Test
    void aMalformedRecordKeepsItsOriginalBytes() {
        byte[] body = "xx{\"ts\":\"late\"}yy".getBytes(StandardCharsets.UTF_8);
        Event e = parser.parse(body, 2, body.length - 4, NOW);
        assertThat(e.reason).isEqualTo(Reason.BAD_TIME);
        assertThat(new String(e.value, StandardCharsets.UTF_8)).isEqualTo("{\"ts\":\"late\"}");
        // the parser is reused: a good record after a bad one carries nothing of it
        Event good = parse("{\"ts\":7}");
        assertThat(good.reason).isNull();
        assertThat(good.time).isEqualTo(7);
    }
}
