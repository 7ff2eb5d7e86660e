package dev.pulse.bench;

import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Events arriving while a backfill runs, as they would on a running pipeline: {@code rate} shop
 * events per second of wall time, round-robin over the partitions, whose event time moves on at the
 * same pace from {@code startTime}. The clock carries on from one {@link #start} to the next.
 */
final class LiveTraffic {
    private final String bootstrap;
    private final String topic;
    private final int partitions;
    private final int rate;
    private final Random random = new Random(2);
    private long nextTime;
    private long sent;
    private volatile boolean running;
    private Thread thread;

    LiveTraffic(String bootstrap, String topic, int partitions, long startTime, int rate) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.partitions = partitions;
        this.rate = rate;
        this.nextTime = startTime;
    }

    void start() {
        running = true;
        thread = new Thread(this::run, "live traffic");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops sending; the number of events sent so far, over every start. */
    long stop() throws InterruptedException {
        running = false;
        thread.join();
        return sent;
    }

    private void run() {
        long stepMs = Math.max(1, 1000 / rate);
        int perTick = Math.max(1, rate / 10);
        StringBuilder b = new StringBuilder(160);
        try (KafkaProducer<String, String> producer = BenchEvents.producer(bootstrap)) {
            long tick = System.nanoTime();
            while (running) {
                for (int i = 0; i < perTick; i++) {
                    BenchEvents.line(b, random, nextTime);
                    producer.send(new ProducerRecord<>(topic, (int) (sent % partitions), null, b.toString()));
                    nextTime += stepMs;
                    sent++;
                }
                producer.flush();
                tick += 100_000_000L;
                long wait = (tick - System.nanoTime()) / 1_000_000;
                if (wait > 0) {
                    Thread.sleep(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
