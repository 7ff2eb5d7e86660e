package dev.pulse.local;

import dev.pulse.local.ShopSessions.Kind;
import dev.pulse.local.ShopSessions.ShopRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The synthetic shop traffic of the local stack: {@link ShopSessions} records sent at about
 * {@code rate} events per second, following a daily rhythm (busier in the UTC afternoon and
 * evening, quiet at night; {@code rate} is the daily average).
 */
final class ShopTraffic implements AutoCloseable {
    private static final long TICK_MS = 100;

    private final double rate;
    private final boolean rhythm;
    private final ShopSessions sessions;
    private final LongSupplier clock;
    private final Consumer<ShopRecord> sink;
    private final Map<Kind, AtomicLong> sent = new EnumMap<>(Kind.class);
    private final Runnable onClose;
    private volatile boolean running;
    private Thread thread;

    ShopTraffic(double rate, boolean rhythm, long seed, LongSupplier clock, Consumer<ShopRecord> sink, Runnable onClose) {
        this.rate = rate;
        this.rhythm = rhythm;
        this.clock = clock;
        this.sessions = new ShopSessions(seed, clock);
        this.sink = sink;
        this.onClose = onClose;
        for (Kind k : Kind.values()) {
            sent.put(k, new AtomicLong());
        }
    }

    /** Traffic into a Kafka topic, keyed by user. */
    static ShopTraffic toKafka(String bootstrapServers, String topic, double rate) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        KafkaProducer<String, String> producer = new KafkaProducer<>(p);
        return new ShopTraffic(rate, true, System.nanoTime(), System::currentTimeMillis,
                r -> producer.send(new ProducerRecord<>(topic, r.key(), r.json())),
                () -> producer.close(java.time.Duration.ofSeconds(5)));
    }

    /** The daily rhythm: 0.5 at 04:00 UTC, 1.5 at 16:00 UTC, averaging 1 over a day. */
    static double rhythm(long epochMillis) {
        double hour = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).getHour()
                + Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).getMinute() / 60.0;
        return 1 + 0.5 * Math.sin(2 * Math.PI * (hour - 10) / 24);
    }

    ShopTraffic start() {
        running = true;
        thread = new Thread(this::run, "shop-traffic");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run() {
        double budget = 0;
        long next = System.nanoTime();
        while (running) {
            double perTick = rate * (rhythm ? rhythm(clock.getAsLong()) : 1) * TICK_MS / 1000.0;
            budget += perTick;
            int n = (int) budget;
            budget -= n;
            for (int i = 0; i < n && running; i++) {
                ShopRecord r = sessions.next();
                sink.accept(r);
                sent.get(r.kind()).incrementAndGet();
            }
            next += TICK_MS * 1_000_000;
            long sleep = (next - System.nanoTime()) / 1_000_000;
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    long sent(Kind kind) {
        return sent.get(kind).get();
    }

    long sentTotal() {
        return sent.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (onClose != null) {
            onClose.run();
        }
    }
}
