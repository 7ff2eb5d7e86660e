package dev.pulse.pipeline.replay;

import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.PipelineGraph;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.EventLayout;
import dev.pulse.pipeline.event.JsonLinesFormat;
import dev.pulse.pipeline.event.SplitMalformed;
import dev.pulse.pipeline.anomaly.AnomalyRow;
import dev.pulse.pipeline.backfill.VersionInputs;
import dev.pulse.pipeline.event.EventParser;
import dev.pulse.pipeline.funnel.FunnelGraph;
import dev.pulse.pipeline.sink.AnalysisRowJson;
import dev.pulse.pipeline.sink.MetricRowJson;
import dev.pulse.pipeline.types.GraphTypes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs plans over JSON Lines files with the streaming job's own operators, in Flink batch mode on
 * an in-process Flink: every event counts, every window is final, and each result row is written
 * as one JSON line ({@link MetricRowJson}). Rows go through part files in a temporary directory
 * (a bounded file sink), so output of any size is neither held in memory nor lost at the end.
 *
 * <pre>{@code
 * ReplaySummary s = Replay.run(compilation.plans(), List.of(Path.of("events.jsonl")), out, System.err);
 * }</pre>
 *
 * Lines are admitted as the stream admits records (docs/bad-events.md), with the wall clock when
 * the replay starts as the reference time of {@code future-time}. Malformed lines are reported on
 * {@code err} as {@code <file>:<line>: <reason>: <detail>}, and written to a dead-letter file when
 * asked ({@link ReplayDeadLetter}), then the summary line ({@link ReplaySummary#line()}). The caller validates and compiles the definitions; an
 * invalid definition never gets here. A replay ignores the backfill pins a plan may carry (a
 * running version's hand-over): it counts every record of its files.
 */
public final class Replay {
    private Replay() {
    }

    /**
     * Replays the files through every plan (each file is read once per plan, with that plan's stream schema).
     *
     * @param out receives the result rows, one JSON object per line (not closed, flushed)
     * @param err receives malformed-line reports and the summary line
     * @throws IOException when a file cannot be read or {@code out} cannot be written
     */
    public static ReplaySummary run(List<PipelinePlan> plans, List<Path> eventFiles, Writer out, PrintStream err) throws IOException {
        return run(plans, eventFiles, out, err, null);
    }

    /**
     * Like {@link #run(List, List, Writer, PrintStream)}, and writes every malformed line to
     * {@code deadLetters} (when not null) as one JSON object per line, once per stream, in file
     * and line order ({@link ReplayDeadLetter#fileLine}).
     */
    public static ReplaySummary run(List<PipelinePlan> plans, List<Path> eventFiles, Writer out, PrintStream err, Writer deadLetters)
            throws IOException {
        long referenceTime = System.currentTimeMillis();
        int analyses = plans.stream().mapToInt(p -> p.analyses().size()).sum();
        if (plans.isEmpty() || eventFiles.isEmpty()) {
            ReplaySummary empty = new ReplaySummary(0, 0, 0, analyses);
            err.println(empty.line());
            return empty;
        }
        for (Path f : eventFiles) {
            if (!f.toFile().isFile()) {
                throw new IOException("no such event file: " + f);
            }
        }
        Path work = Files.createTempDirectory("pulse-replay-");
        try {
            // in-process (a local MiniCluster) unless the caller runs inside a Flink client or test context
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration());
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
            for (int p = 0; p < plans.size(); p++) {
                define(env, withoutPins(plans.get(p)), p, eventFiles, work, referenceTime);
            }
            GraphTypes.check(env.getStreamGraph(false));
            JobExecutionResult result;
            try {
                result = env.execute("pulse replay");
            } catch (Exception e) {
                throw new IllegalStateException("replay failed: " + rootMessage(e), e);
            }
            long rows = copyRows(work.resolve("rows"), out);
            List<ReplayDeadLetter> malformed = malformed(work.resolve("malformed"));
            java.util.Set<String> written = new java.util.HashSet<>();
            for (ReplayDeadLetter m : malformed) {
                err.println(eventFiles.get(m.file()) + ":" + m.line() + ": " + m.reason() + ": " + m.detail()
                        + (plans.size() > 1 ? " (pipeline " + plans.get(m.plan()).pipeline() + ")" : ""));
                // the pipelines of one stream admit alike: a line is written once per stream
                if (deadLetters != null && written.add(m.stream() + "\n" + m.file() + "\n" + m.line())) {
                    deadLetters.write(m.fileLine(eventFiles.get(m.file()).toString()));
                    deadLetters.write('\n');
                }
            }
            if (deadLetters != null) {
                deadLetters.flush();
            }
            Long events = result.getAccumulatorResult(SplitMalformed.EVENTS_ACCUMULATOR);
            ReplaySummary summary = new ReplaySummary(events == null ? 0 : events, malformed.size(), rows, analyses);
            err.println(summary.line());
            return summary;
        } finally {
            deleteRecursively(work);
        }
    }

    /** The plan with no backfill pins: every record of the files counts, every window is final. */
    static PipelinePlan withoutPins(PipelinePlan plan) {
        return new PipelinePlan(plan.apiVersion(), plan.pipeline(), plan.hash(), plan.stream(),
                plan.analyses().stream().map(a -> a.withBackfill(null)).toList());
    }

    private static DataStream<String> union(DataStream<String> a, DataStream<String> b) {
        return a == null ? b : a.union(b);
    }

    private static void define(StreamExecutionEnvironment env, PipelinePlan plan, int planIndex, List<Path> files, Path work,
            long referenceTime) throws IOException {
        long lastEventTime = plan.analyses().stream().anyMatch(a -> a.retention() != null)
                ? lastEventTime(plan, files, referenceTime) : Long.MIN_VALUE;
        EventLayout layout = new EventLayout(plan.stream());
        DataStream<Event> raw = null;
        for (int i = 0; i < files.size(); i++) {
            FileSource<Event> source = FileSource.forRecordStreamFormat(new JsonLinesFormat(layout, i, referenceTime),
                    org.apache.flink.core.fs.Path.fromLocalFile(files.get(i).toAbsolutePath().toFile())).build();
            DataStream<Event> fileEvents = env.fromSource(source, WatermarkStrategy.noWatermarks(), "file " + files.get(i).getFileName())
                    .uid("source/file-" + planIndex + "-" + i);
            raw = raw == null ? fileEvents : raw.union(fileEvents);
        }
        String stream = plan.stream().namespace() + "/" + plan.stream().name();
        SingleOutputStreamOperator<Event> events = raw.process(new SplitMalformed(stream))
                .name("malformed lines").uid("events/split-" + planIndex);
        events.getSideOutput(SplitMalformed.DEAD_LETTERS)
                .map(ReplayDeadLetter.lines(planIndex, stream))
                .returns(Types.STRING)
                .sinkTo(textFiles(work.resolve("malformed").resolve(String.valueOf(planIndex)))).name("malformed report");
        DataStream<String> rows = null;
        VersionInputs inputs = VersionInputs.of(events);
        List<PipelineGraph.MetricOutput> metricOutputs = PipelineGraph.metrics(inputs, plan, layout, false);
        for (PipelineGraph.MetricOutput m : metricOutputs) {
            MetricRowJson json = new MetricRowJson(m.plan());
            DataStream<String> lines = m.rows().map(json::line).returns(Types.STRING);
            rows = rows == null ? lines : rows.union(lines);
        }
        for (PipelineGraph.MetricOutput m : metricOutputs) {
            DataStream<AnomalyRow> anomalies = PipelineGraph.anomalies(m, false);
            if (anomalies != null) {
                AnalysisRowJson json = new AnalysisRowJson(m.plan());
                rows = union(rows, anomalies.map(json::anomaly).returns(Types.STRING));
            }
        }
        for (FunnelGraph.Output f : PipelineGraph.funnels(inputs, plan, layout, false)) {
            AnalysisRowJson json = new AnalysisRowJson(f.plan());
            rows = union(rows, f.rows().map(json::funnel).returns(Types.STRING));
        }
        for (PipelineGraph.RetentionOutput r : PipelineGraph.retentions(inputs, plan, layout, false)) {
            rows = union(rows, r.rows().filter(row -> row.finalResult)
                    .map(new ReplayRetentionLine(r.plan(), lastEventTime)).returns(Types.STRING));
        }
        if (rows != null) {
            rows.sinkTo(textFiles(work.resolve("rows").resolve(String.valueOf(planIndex)))).name("result rows");
        }
    }

    private static FileSink<String> textFiles(Path dir) {
        return FileSink.forRowFormat(org.apache.flink.core.fs.Path.fromLocalFile(dir.toFile()),
                new SimpleStringEncoder<String>(StandardCharsets.UTF_8.name())).build();
    }

    /** Every finished part file under the directory, in a stable order. */
    private static List<Path> parts(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    /**
     * The time of the last well-formed event of the files, read with the plan's own parser: a
     * replay's watermark for which retention periods are complete (docs/semantics.md).
     */
    static long lastEventTime(PipelinePlan plan, List<Path> files, long referenceTime) throws IOException {
        EventParser parser = new EventParser(new EventLayout(plan.stream()));
        long last = Long.MIN_VALUE;
        for (Path f : files) {
            try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Event e = parser.parse(line.getBytes(StandardCharsets.UTF_8), referenceTime);
                    if (!e.isMalformed()) {
                        last = Math.max(last, e.time);
                    }
                }
            }
        }
        return last;
    }

    private static long copyRows(Path dir, Writer out) throws IOException {
        long rows = 0;
        for (Path part : parts(dir)) {
            try (BufferedReader in = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.write('\n');
                    rows++;
                }
            }
        }
        out.flush();
        return rows;
    }

    /** Malformed lines, sorted by plan, file and line. */
    private static List<ReplayDeadLetter> malformed(Path dir) throws IOException {
        List<ReplayDeadLetter> all = new ArrayList<>();
        for (Path part : parts(dir)) {
            try (BufferedReader in = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    all.add(ReplayDeadLetter.parse(line));
                }
            }
        }
        all.sort(Comparator.comparingInt(ReplayDeadLetter::plan).thenComparingInt(ReplayDeadLetter::file)
                .thenComparingLong(ReplayDeadLetter::line));
        return all;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static Configuration configuration() {
        Configuration conf = new Configuration();
        // like the job: every type has a Flink serializer, none falls back to Kryo
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(128));
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism());
        return conf;
    }

    private static int parallelism() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
