package dev.pulse.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.v1alpha1.funnel.FunnelSpec;
import dev.pulse.api.v1alpha1.funnel.FunnelSpec.Order;
import dev.pulse.api.v1alpha1.retention.RetentionSpec;
import dev.pulse.pipeline.funnel.FunnelReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Funnels in every order and counting mode and retention in both modes over random shop traffic,
 * and their rows computed by brute force: walking each actor's sorted events
 * ({@link FunnelReference}) and a direct reading of the retention definition. Shared by the replay
 * and the streaming test.
 */
final class FunnelRetentionTraffic {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;
    private static final String[] TYPES = {"a", "b", "c", "d", "x", "e"};
    private static final String[] PLATFORMS = {"ios", "web", null};

    record Ev(String actor, long time, String type, String platform, int line) {
    }

    static final String DEFINITIONS = """
            apiVersion: pulse.dev/v1alpha1
            kind: EventStream
            metadata: {name: shop-events}
            spec:
              kafka: {topic: shop-events}
              eventTypeField: event
              actorField: user_id
              timestamp: {field: ts, format: epochMillis}
              fields:
                - {name: platform, type: string}
            """ + funnel("f-ordered", "ordered", "uniques", true) + funnel("f-strict", "strict", "totals", false)
            + funnel("f-unordered", "unordered", "uniques", true) + funnel("f-ordered-totals", "ordered", "totals", true)
            + retention("r-bounded", "bounded") + retention("r-unbounded", "unbounded");

    /** A funnel over steps a, b, c, d with exclusion e (the traffic's), as YAML starting with its document separator. */
    static String funnel(String name, String order, String countBy, boolean byPlatform) {
        return """
                ---
                apiVersion: pulse.dev/v1alpha1
                kind: Funnel
                metadata: {name: %s}
                spec:
                  stream: shop-events
                  steps:
                    - {name: s1, events: [a]}
                    - {name: s2, events: [b]}
                    - {name: s3, events: [c]}
                    - {name: s4, events: [d]}
                  order: %s
                  countBy: %s
                  conversionWindow: 30m
                  exclusions: [{events: [e], fromStep: 2, toStep: 3}]
                  dimensions: %s
                  window: {type: tumbling, size: 1h}
                """.formatted(name, order, countBy, byPlatform ? "[platform]" : "[]");
    }

    /** A retention of cohort a and return d by platform, as YAML starting with its document separator. */
    static String retention(String name, String mode) {
        return """
                ---
                apiVersion: pulse.dev/v1alpha1
                kind: Retention
                metadata: {name: %s}
                spec:
                  stream: shop-events
                  cohort: {events: [a]}
                  return: {events: [d]}
                  period: 1h
                  periods: 3
                  mode: %s
                  dimensions: [platform]
                """.formatted(name, mode);
    }

    static String json(Ev e) {
        return "{\"event\":\"" + e.type() + "\",\"user_id\":\"" + e.actor() + "\",\"ts\":" + e.time()
                + (e.platform() == null ? "" : ",\"platform\":\"" + e.platform() + "\"") + "}";
    }

    /** Random shop traffic: each actor's times are distinct, some actors change platform. */
    static List<Ev> traffic(Random random, int actors) {
        List<Ev> events = new ArrayList<>();
        long t0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        int line = 0;
        for (int u = 0; u < actors; u++) {
            String platform = PLATFORMS[random.nextInt(PLATFORMS.length)];
            boolean changes = random.nextInt(5) == 0;
            Set<Long> times = new HashSet<>();
            int count = 2 + random.nextInt(14);
            long base = t0 + random.nextInt(6 * 60) * MIN;
            for (int i = 0; i < count; i++) {
                long t;
                do {
                    t = base + random.nextInt(90) * MIN + random.nextInt(60_000);
                } while (!times.add(t));
                String type = TYPES[random.nextInt(8) < 6 ? random.nextInt(4) : 4 + random.nextInt(2)];
                events.add(new Ev("u" + u, t, type, changes ? PLATFORMS[random.nextInt(PLATFORMS.length)] : platform, line++));
            }
        }
        java.util.Collections.shuffle(events, random);
        List<Ev> numbered = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Ev e = events.get(i);
            numbered.add(new Ev(e.actor(), e.time(), e.type(), e.platform(), i + 1));
        }
        return numbered;
    }

    static Set<JsonNode> expectedFunnel(AnalysisPlan a, List<Ev> events) {
        return expectedFunnel(a, events, Integer.MAX_VALUE);
    }

    /**
     * The funnel's rows when each reporting window keeps at most {@code maxGroups} breakdown
     * values: the first ones in input order (the line of a counted attempt's first event) keep
     * their rows, the attempts of the others count in one row of value {@code __other__}.
     */
    static Set<JsonNode> expectedFunnel(AnalysisPlan a, List<Ev> events, int maxGroups) {
        Order order = a.funnel().order();
        boolean uniques = a.funnel().countBy() == FunnelSpec.CountBy.uniques;
        boolean byPlatform = !a.dimensions().isEmpty();
        Map<String, List<Ev>> byActor = new HashMap<>();
        events.forEach(e -> byActor.computeIfAbsent(e.actor(), k -> new ArrayList<>()).add(e));
        // every counted attempt: actor, reporting window start, platform, level, line of its first event
        record Counted(String actor, long start, String platform, int level, int line) {
        }
        List<Counted> counted = new ArrayList<>();
        List<Ev> byRef = new ArrayList<>();
        for (Map.Entry<String, List<Ev>> actor : byActor.entrySet()) {
            List<Ev> sorted = new ArrayList<>(actor.getValue());
            sorted.sort(Comparator.comparingLong(Ev::time).thenComparingInt(e -> rank(e.type())).thenComparingInt(Ev::line));
            List<FunnelReference.Ev> refs = new ArrayList<>();
            for (Ev e : sorted) {
                int step = "abcd".indexOf(e.type());
                long steps = step >= 0 ? 1L << step : 0;
                long exclusions = e.type().equals("e") ? 1 : 0;
                byRef.add(e);
                refs.add(new FunnelReference.Ev(e.time(), steps, exclusions, byRef.size() - 1));
            }
            for (FunnelReference.Attempt at : FunnelReference.attempts(order, 4, 30 * MIN, new int[] {2}, new int[] {3}, refs)) {
                if (at.counted()) {
                    Ev first = byRef.get(at.dims());
                    counted.add(new Counted(actor.getKey(), Math.floorDiv(at.start(), HOUR) * HOUR,
                            byPlatform ? String.valueOf(first.platform()) : "-", at.level(), first.line()));
                }
            }
        }
        // per window, the platforms in the order of their first counted attempt
        Map<Long, Map<String, Integer>> firstLine = new HashMap<>();
        counted.forEach(c -> firstLine.computeIfAbsent(c.start(), k -> new HashMap<>()).merge(c.platform(), c.line(), Math::min));
        Map<Long, Set<String>> admitted = new HashMap<>();
        firstLine.forEach((start, lines) -> admitted.put(start, lines.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .limit(maxGroups).map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet())));
        // row key "windowStart|platform" → per actor best level (uniques) or every attempt's level (totals)
        Map<String, Map<String, Integer>> best = new TreeMap<>();
        Map<String, List<Integer>> all = new TreeMap<>();
        for (Counted c : counted) {
            String platform = admitted.get(c.start()).contains(c.platform()) ? c.platform() : OTHER;
            String row = c.start() + "|" + platform;
            best.computeIfAbsent(row, k -> new HashMap<>()).merge(c.actor(), c.level(), Math::max);
            all.computeIfAbsent(row, k -> new ArrayList<>()).add(c.level());
        }
        Set<JsonNode> rows = new HashSet<>();
        for (String row : all.keySet()) {
            long start = Long.parseLong(row.substring(0, row.indexOf('|')));
            String platform = row.substring(row.indexOf('|') + 1);
            long[] counts = new long[4];
            for (int level : uniques ? best.get(row).values() : all.get(row)) {
                for (int k = 0; k < level; k++) {
                    counts[k]++;
                }
            }
            ObjectNode n = head("Funnel", a.name());
            n.put("windowStart", Instant.ofEpochMilli(start).toString());
            n.put("windowEnd", Instant.ofEpochMilli(start + HOUR).toString());
            ObjectNode dims = n.putObject("dimensions");
            if (byPlatform) {
                dims.put("platform", platform.equals("null") ? null : platform);
            }
            ArrayNode steps = n.putArray("steps");
            for (int k = 0; k < 4; k++) {
                steps.addObject().put("name", "s" + (k + 1)).put("count", counts[k]);
            }
            rows.add(normalized(n));
        }
        return rows;
    }

    /** The value of every dimension in the row that gathers the combinations over maxGroups. */
    static final String OTHER = "__other__";

    private static int rank(String type) {
        int step = "abcd".indexOf(type);
        return step >= 0 ? step : 4;
    }

    static Set<JsonNode> expectedRetention(AnalysisPlan a, List<Ev> events) {
        return expectedRetention(a, events, events.stream().mapToLong(Ev::time).max().orElseThrow());
    }

    /** @param last the watermark: periods that end after it are incomplete (null) */
    static Set<JsonNode> expectedRetention(AnalysisPlan a, List<Ev> events, long last) {
        return expectedRetention(a, events, last, Integer.MAX_VALUE);
    }

    /**
     * The retention's rows when each cohort period keeps at most {@code maxGroups} platforms: the
     * first ones in input order (the line of a member's first cohort event) keep their rows, the
     * members of the others count in one row of value {@code __other__}.
     */
    static Set<JsonNode> expectedRetention(AnalysisPlan a, List<Ev> events, long last, int maxGroups) {
        boolean bounded = a.retention().mode() == RetentionSpec.Mode.bounded;
        Map<String, List<Ev>> byActor = new HashMap<>();
        events.forEach(e -> byActor.computeIfAbsent(e.actor(), k -> new ArrayList<>()).add(e));
        Map<Long, Map<String, Integer>> firstLine = new HashMap<>();
        for (List<Ev> list : byActor.values()) {
            list.stream().filter(e -> e.type().equals("a")).min(Comparator.comparingLong(Ev::time)).ifPresent(first -> firstLine
                    .computeIfAbsent(Math.floorDiv(first.time(), HOUR) * HOUR, k -> new HashMap<>())
                    .merge(String.valueOf(first.platform()), first.line(), Math::min));
        }
        Map<Long, Set<String>> admitted = new HashMap<>();
        firstLine.forEach((start, lines) -> admitted.put(start, lines.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .limit(maxGroups).map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet())));
        Map<String, long[]> rows = new TreeMap<>(); // "cohortStart|platform" → {size, r1, r2, r3}
        for (List<Ev> list : byActor.values()) {
            Ev first = list.stream().filter(e -> e.type().equals("a")).min(Comparator.comparingLong(Ev::time)).orElse(null);
            if (first == null) {
                continue;
            }
            long t0 = first.time();
            long cohort = Math.floorDiv(t0, HOUR) * HOUR;
            String platform = admitted.get(cohort).contains(String.valueOf(first.platform())) ? String.valueOf(first.platform()) : OTHER;
            long[] row = rows.computeIfAbsent(cohort + "|" + platform, k -> new long[4]);
            row[0]++;
            for (int k = 1; k <= 3; k++) {
                long lo = t0 + k * HOUR;
                long hi = bounded ? lo + HOUR : Long.MAX_VALUE;
                if (list.stream().anyMatch(e -> e.type().equals("d") && e.time() >= lo && e.time() < hi)) {
                    row[k]++;
                }
            }
        }
        Set<JsonNode> out = new HashSet<>();
        rows.forEach((key, row) -> {
            long start = Long.parseLong(key.substring(0, key.indexOf('|')));
            String platform = key.substring(key.indexOf('|') + 1);
            ObjectNode n = head("Retention", a.name());
            n.put("cohortStart", Instant.ofEpochMilli(start).toString());
            n.putObject("dimensions").put("platform", platform.equals("null") ? null : platform);
            n.put("cohortSize", row[0]);
            ArrayNode retained = n.putArray("retained");
            for (int k = 1; k <= 3; k++) {
                boolean complete = start + (bounded ? k + 2 : k + 1) * HOUR <= last;
                if (complete) {
                    retained.add(row[k]);
                } else {
                    retained.addNull();
                }
            }
            out.add(normalized(n));
        });
        return out;
    }

    /** The node as the replay's output parses: small integers as ints, so equal rows compare equal. */
    private static JsonNode normalized(ObjectNode n) {
        try {
            return JSON.readTree(n.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectNode head(String kind, String name) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", kind);
        n.put("namespace", "growth");
        n.put("name", name);
        return n;
    }
}
