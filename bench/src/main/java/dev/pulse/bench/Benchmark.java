package dev.pulse.bench;

import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.PipelineJob;
import dev.pulse.pipeline.PipelineSettings;
import dev.pulse.testsupport.EmbeddedKafka;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Events per second of the job Pulse generates against hand-written Flink SQL jobs computing the
 * same metrics, on the same pre-loaded Kafka topic, in one run (see README.md).
 *
 * <p>{@code Benchmark [events] [parallelism]}: (a) one count metric by one dimension, 1-minute
 * tumbling; (b) ten metrics in one generated job against ten SQL jobs run one after another.
 * After a warm-up of each, case (a) alternates both jobs three times and compares the medians;
 * case (b) takes the median of three generated runs and the sum of one run of each SQL job.
 * Throughput is events / the job's net runtime (from running to finished; excludes SQL planning
 * and job submission, which are printed as wall time beside it).
 */
public final class Benchmark {
    private static final int REPEATS = 3;

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String topic = "shop-events";
        System.out.printf("machine: %d cores, %s, Java %s, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String jdbc = postgres.getJdbcUrl("postgres", "postgres");
            kafka.createTopic(topic, parallelism);
            long t0 = System.nanoTime();
            BenchEvents.produce(kafka.bootstrapServers(), topic, parallelism, events);
            System.out.printf("pre-loaded %,d events into %s (%d partitions) in %.1f s%n", events, topic, parallelism, (System.nanoTime() - t0) / 1e9);

            if (args.length > 2 && args[2].equals("generated-only")) {
                // for profiling the generated job alone: ./bench/run.sh 1000000 2 generated-only
                for (int i = 0; i < REPEATS; i++) {
                    report("generated (10 metrics), run " + (i + 1), events,
                            runGenerated(List.of(BenchMetric.TEN), kafka.bootstrapServers(), topic, jdbc, parallelism));
                }
                return;
            }
            if (args.length > 2 && args[2].equals("analytics")) {
                funnelAndRetention(kafka.bootstrapServers(), topic, jdbc, parallelism, events);
                return;
            }
            // warm-up: one small generated and one SQL run so JIT and class loading do not favour the second
            runGenerated(List.of(BenchMetric.ORDERS_BY_PLATFORM), kafka.bootstrapServers(), topic, jdbc, parallelism);
            SqlJobs.run(BenchMetric.ORDERS_BY_PLATFORM, kafka.bootstrapServers(), topic, jdbc, parallelism);

            System.out.println();
            System.out.println("case (a): one count metric by one dimension, 1-minute tumbling");
            List<long[]> generatedRuns = new ArrayList<>();
            List<long[]> sqlRuns = new ArrayList<>();
            for (int i = 0; i < REPEATS; i++) {
                generatedRuns.add(runGenerated(List.of(BenchMetric.ORDERS_BY_PLATFORM), kafka.bootstrapServers(), topic, jdbc, parallelism));
                sqlRuns.add(SqlJobs.run(BenchMetric.ORDERS_BY_PLATFORM, kafka.bootstrapServers(), topic, jdbc, parallelism));
                report("  generated, run " + (i + 1), events, generatedRuns.get(i));
                report("  flink sql, run " + (i + 1), events, sqlRuns.get(i));
            }
            long[] generatedA = median(generatedRuns);
            long[] sqlA = median(sqlRuns);
            report("generated (median)", events, generatedA);
            report("flink sql (median)", events, sqlA);
            System.out.printf(Locale.ROOT, "RATIO (a) generated / sql = %.2f%n", (double) sqlA[1] / generatedA[1]);

            System.out.println();
            System.out.println("case (b): ten metrics, one generated job vs ten SQL jobs one after another");
            List<long[]> generatedTenRuns = new ArrayList<>();
            for (int i = 0; i < REPEATS; i++) {
                generatedTenRuns.add(runGenerated(List.of(BenchMetric.TEN), kafka.bootstrapServers(), topic, jdbc, parallelism));
                report("  generated (10 metrics), run " + (i + 1), events, generatedTenRuns.get(i));
            }
            long[] generatedB = median(generatedTenRuns);
            report("generated (10 metrics, 1 job, median)", events, generatedB);
            long[] sqlB = {0, 0};
            for (BenchMetric m : BenchMetric.TEN) {
                long[] one = SqlJobs.run(m, kafka.bootstrapServers(), topic, jdbc, parallelism);
                report("  flink sql " + m.name(), events, one);
                sqlB[0] += one[0];
                sqlB[1] += one[1];
            }
            report("flink sql (10 jobs, total)", events, sqlB);
            System.out.printf(Locale.ROOT, "RATIO (b) generated / sql = %.2f%n", (double) sqlB[1] / generatedB[1]);
        }
    }

    /**
     * Case (c), issue 4: a 4-step funnel and a 7-period retention against the count metric on the
     * same input, each alone in its generated job; alternating runs, medians compared.
     */
    private static void funnelAndRetention(String bootstrap, String topic, String jdbc, int parallelism, long events) throws Exception {
        String count = BenchMetric.ORDERS_BY_PLATFORM.yaml();
        runGeneratedYaml(List.of(count), bootstrap, topic, jdbc, parallelism);
        runGeneratedYaml(List.of(BenchAnalyses.FUNNEL), bootstrap, topic, jdbc, parallelism);
        runGeneratedYaml(List.of(BenchAnalyses.RETENTION), bootstrap, topic, jdbc, parallelism);
        System.out.println();
        System.out.println("case (c): funnel and retention against the count metric, each alone in a generated job");
        List<long[]> counts = new ArrayList<>();
        List<long[]> funnels = new ArrayList<>();
        List<long[]> retentions = new ArrayList<>();
        for (int i = 0; i < REPEATS; i++) {
            counts.add(runGeneratedYaml(List.of(count), bootstrap, topic, jdbc, parallelism));
            funnels.add(runGeneratedYaml(List.of(BenchAnalyses.FUNNEL), bootstrap, topic, jdbc, parallelism));
            retentions.add(runGeneratedYaml(List.of(BenchAnalyses.RETENTION), bootstrap, topic, jdbc, parallelism));
            report("  count metric, run " + (i + 1), events, counts.get(i));
            report("  4-step funnel, run " + (i + 1), events, funnels.get(i));
            report("  7-period retention, run " + (i + 1), events, retentions.get(i));
        }
        long[] c = median(counts);
        long[] f = median(funnels);
        long[] r = median(retentions);
        report("count metric (median)", events, c);
        report("funnel (median)", events, f);
        report("retention (median)", events, r);
        System.out.printf(Locale.ROOT, "RATIO (c) funnel / count = %.2f, retention / count = %.2f%n",
                (double) c[1] / f[1], (double) c[1] / r[1]);
    }

    /** Runs one generated job over the whole topic for the given analysis definitions. */
    private static long[] runGeneratedYaml(List<String> analyses, String bootstrap, String topic, String jdbc, int parallelism) throws Exception {
        return run(BenchPlans.compile(topic, analyses), bootstrap, jdbc, parallelism);
    }

    /** The run with the median net runtime. */
    private static long[] median(List<long[]> runs) {
        List<long[]> sorted = new ArrayList<>(runs);
        sorted.sort((x, y) -> Long.compare(x[1], y[1]));
        return sorted.get(sorted.size() / 2);
    }

    private static void report(String what, long events, long[] times) {
        System.out.printf(Locale.ROOT, "%-40s net %7.2f s  %,10.0f events/s   (wall %6.2f s)%n", what, times[1] / 1000.0,
                events / (times[1] / 1000.0), times[0] / 1000.0);
    }

    /** Runs one generated job over the whole topic (bounded, no checkpoints); returns {wall ms, net runtime ms}. */
    private static long[] runGenerated(List<BenchMetric> metrics, String bootstrap, String topic, String jdbc, int parallelism) throws Exception {
        return run(BenchPlans.compile(topic, BenchPlans.yamls(metrics)), bootstrap, jdbc, parallelism);
    }

    private static long[] run(PipelinePlan plan, String bootstrap, String jdbc, int parallelism) throws Exception {
        long started = System.nanoTime();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
        PipelineJob.define(env, plan, new PipelineSettings(Path.of("plan.json"), bootstrap, jdbc, null, null, true, 0, 1000, 500, null, true));
        JobExecutionResult done = env.execute("pulse " + plan.pipeline());
        return new long[] {(System.nanoTime() - started) / 1_000_000, done.getNetRuntime()};
    }
}
