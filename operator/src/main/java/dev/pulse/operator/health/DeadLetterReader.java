package dev.pulse.operator.health;

import dev.pulse.api.plan.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts each EventStream's dead-letter records ({@code <topic>.dlq}) since its pipeline last
 * started, by their {@code pulse-reason} and {@code pulse-analysis} headers, incrementally: the
 * position reached in each partition is kept per stream, so a round reads only what was appended
 * since the last one, and a round in which the topic's end did not move reads no record at all
 * (one end-offsets request). The first round after the pipeline (re)started, or after the operator
 * started, seeks to the first record appended at or after the start (the topic's records carry
 * their append time), so the counts are those of the running pipeline whenever the operator came up.
 * Reads committed records only: the records of a job's aborted transactions never count.
 * Not thread-safe: the probe loop calls it from one thread.
 */
public final class DeadLetterReader implements AutoCloseable {
    /** At most this many records per stream and round; the rest is read in the next rounds. */
    static final int MAX_RECORDS_PER_ROUND = 200_000;

    private final Clock clock;
    private final Duration timeout;
    private final Map<String, StreamCount> counts = new ConcurrentHashMap<>();

    /** What has been counted for one stream, and where in each partition reading goes on. */
    private static final class StreamCount {
        final String bootstrap;
        final String topic;
        final Instant since;
        final KafkaConsumer<byte[], byte[]> consumer;
        final Map<TopicPartition, Long> next = new HashMap<>();
        final Map<String, Long> malformed = new TreeMap<>();
        final Map<String, Long> late = new TreeMap<>();
        InputReading.Last last;
        InputReading reading;

        StreamCount(String bootstrap, String topic, Instant since, KafkaConsumer<byte[], byte[]> consumer) {
            this.bootstrap = bootstrap;
            this.topic = topic;
            this.since = since;
            this.consumer = consumer;
        }
    }

    public DeadLetterReader(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * Reads what the stream's dead-letter topic gained since the last call and returns the counts
     * since {@code since}. A failure is a reading with an error and the last known counts, never an
     * exception.
     *
     * @param stream the stream's key ({@code namespace/name})
     */
    public InputReading read(String stream, String bootstrap, String topic, Instant since) {
        StreamCount c = counts.get(stream);
        if (c == null || !c.bootstrap.equals(bootstrap) || !c.topic.equals(topic) || !c.since.equals(since)) {
            if (c != null) {
                c.consumer.close(Duration.ZERO);
            }
            c = new StreamCount(bootstrap, topic, since, consumer(bootstrap));
            counts.put(stream, c);
        }
        try {
            advance(c);
        } catch (KafkaException | IllegalStateException e) {
            String why = "reading " + topic + " at " + bootstrap + ": " + Objects.toString(e.getMessage(), e.toString());
            InputReading known = c.reading != null ? c.reading
                    : new InputReading(topic, since, Map.of(), Map.of(), null, clock.instant(), null);
            return known.withError(why);
        }
        return c.reading;
    }

    private void advance(StreamCount c) {
        List<PartitionInfo> infos = c.consumer.partitionsFor(c.topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + c.topic + " does not exist");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(p -> partitions.add(new TopicPartition(c.topic, p.partition())));
        Map<TopicPartition, Long> ends = c.consumer.endOffsets(partitions, timeout);
        List<TopicPartition> unknown = partitions.stream().filter(tp -> !c.next.containsKey(tp)).toList();
        if (!unknown.isEmpty()) {
            Map<TopicPartition, Long> at = new HashMap<>();
            unknown.forEach(tp -> at.put(tp, c.since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> first = c.consumer.offsetsForTimes(at, timeout);
            for (TopicPartition tp : unknown) {
                OffsetAndTimestamp o = first.get(tp);
                // no record appended since: everything from the current end on is new
                c.next.put(tp, o == null ? ends.get(tp) : o.offset());
            }
        }
        boolean behind = partitions.stream().anyMatch(tp -> c.next.get(tp) < ends.get(tp));
        if (!behind) {
            if (c.reading == null) {
                c.reading = snapshot(c);
            }
            return;
        }
        List<TopicPartition> reading = partitions.stream().filter(tp -> c.next.get(tp) < ends.get(tp)).toList();
        c.consumer.assign(reading);
        reading.forEach(tp -> c.consumer.seek(tp, c.next.get(tp)));
        long deadline = System.nanoTime() + timeout.toNanos();
        int read = 0;
        while (read < MAX_RECORDS_PER_ROUND && System.nanoTime() < deadline
                && reading.stream().anyMatch(tp -> c.consumer.position(tp, timeout) < ends.get(tp))) {
            for (ConsumerRecord<byte[], byte[]> r : c.consumer.poll(Duration.ofMillis(200))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() >= ends.get(tp)) {
                    continue; // counted in a later round, with its partition's next end
                }
                count(c, r);
                read++;
            }
        }
        // where reading stopped, per partition: never past the end taken at the start of the round
        for (TopicPartition tp : reading) {
            c.next.put(tp, Math.min(c.consumer.position(tp, timeout), ends.get(tp)));
        }
        c.consumer.assign(List.of());
        if (read > 0 || c.reading == null) {
            c.reading = snapshot(c);
        }
    }

    private static void count(StreamCount c, ConsumerRecord<byte[], byte[]> r) {
        String reason = header(r, DeadLetters.REASON);
        if (reason == null) {
            reason = "unknown";
        }
        String analysis = header(r, DeadLetters.ANALYSIS);
        if (DeadLetters.Reason.LATE.code().equals(reason)) {
            c.late.merge(analysis == null ? "unknown" : analysis, 1L, Long::sum);
        } else {
            c.malformed.merge(reason, 1L, Long::sum);
        }
        Instant at = Instant.ofEpochMilli(r.timestamp());
        if (c.last == null || !at.isBefore(c.last.at())) {
            c.last = new InputReading.Last(reason, analysis, integer(header(r, DeadLetters.PARTITION)),
                    number(header(r, DeadLetters.OFFSET)), at);
        }
    }

    private InputReading snapshot(StreamCount c) {
        return new InputReading(c.topic, c.since, Map.copyOf(c.malformed), Map.copyOf(c.late), c.last, clock.instant(), null);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Integer integer(String s) {
        Long n = number(s);
        return n == null || n > Integer.MAX_VALUE || n < 0 ? null : n.intValue();
    }

    private static Long number(String s) {
        try {
            return s == null ? null : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Stops counting for a stream (it was deleted). */
    public void forget(String stream) {
        StreamCount c = counts.remove(stream);
        if (c != null) {
            c.consumer.close(Duration.ZERO);
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "pulse-operator-dead-letters");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a position the topic no longer retains goes on from the earliest record it does
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        counts.values().forEach(c -> c.consumer.close(Duration.ofSeconds(5)));
        counts.clear();
    }
}
