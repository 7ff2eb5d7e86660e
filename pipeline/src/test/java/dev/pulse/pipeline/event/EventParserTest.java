package dev.pulse.pipeline.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.FieldPlan;
import dev.pulse.api.plan.StreamPlan;
import dev.pulse.api.v1alpha1.eventstream.FieldType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

public class EventParserTest {
    public static StreamPlan stream(String timestampFormat) {
        return new StreamPlan("growth", "shop-events", "shop-events", "pulse.growth.shop-events", "json", "event", "user_id", "ts",
                timestampFormat, 5000, 60000, List.of(new FieldPlan("amount", FieldType.DOUBLE), new FieldPlan("platform", FieldType.STRING),
                        new FieldPlan("premium", FieldType.BOOLEAN), new FieldPlan("quantity", FieldType.LONG)), 1, false);
    }

    private final EventLayout layout = new EventLayout(stream("epochMillis"));
    private final EventParser parser = new EventParser(layout);

    private Event parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsOnlyThePlansFieldsIntoTypedSlots() {
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
    void malformedRecordsSayWhy() {
        assertThat(parse("nope").error).startsWith("not valid JSON");
        assertThat(parse("[1]").error).isEqualTo("not a JSON object");
        assertThat(parse("{\"event\":\"x\"}").error).contains("no timestamp");
        assertThat(parse("{\"ts\":\"x\"}").error).contains("epoch milliseconds");
        assertThat(parse("{\"ts\":1,\"amount\":\"1\"}").error).contains("'amount' must be a double");
        assertThat(parse("{\"ts\":1,\"quantity\":1.5}").error).contains("'quantity' must be a long");
        assertThat(parse("{\"ts\":1,\"platform\":{}}").error).contains("'platform' holds a JSON object");
        assertThat(parse("{\"ts\":1} {\"ts\":2}").error).isEqualTo("more than one JSON value");
        assertThat(parse("{\"ts\":1").error).startsWith("not valid JSON");
        assertThat(parse("nope").raw).isEqualTo("nope");
    }

    @Test
    void timestampFormats() {
        EventParser seconds = new EventParser(new EventLayout(stream("epochSeconds")));
        assertThat(seconds.parse("{\"ts\":1767225600}".getBytes(StandardCharsets.UTF_8)).time).isEqualTo(1767225600000L);
        assertThat(seconds.parse("{\"ts\":1767225600.25}".getBytes(StandardCharsets.UTF_8)).time).isEqualTo(1767225600250L);
        EventParser iso = new EventParser(new EventLayout(stream("iso8601")));
        assertThat(iso.parse("{\"ts\":\"2026-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8)).time).isEqualTo(1767225600000L);
        assertThat(iso.parse("{\"ts\":\"2026-01-01T01:00:00+01:00\"}".getBytes(StandardCharsets.UTF_8)).time).isEqualTo(1767225600000L);
        assertThat(iso.parse("{\"ts\":\"soon\"}".getBytes(StandardCharsets.UTF_8)).error).contains("not ISO-8601");
    }
}
