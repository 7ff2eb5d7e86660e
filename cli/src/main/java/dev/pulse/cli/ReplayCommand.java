package dev.pulse.cli;

import dev.pulse.api.validate.DefinitionValidator;
import dev.pulse.pipeline.replay.Replay;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pulse replay}: runs definitions over JSON Lines event files with the pipeline's own code, in batch. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Runs the definitions over JSON Lines event files (one event per line) with the pipeline's own operators, in Flink batch mode.",
                "Writes every result row as one JSON object per line to --out or stdout; malformed lines and a summary go to stderr.",
                "Lines are admitted as the stream admits records (docs/bad-events.md); the wall clock is the reference time of future-time.",
                "Exit 0 unless the definitions are invalid (then the validate output and exit 1)."})
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    Definitions definitions;

    @Option(names = "--events", required = true, split = ",", paramLabel = "<file.jsonl>",
            description = "Event files, JSON Lines (repeatable, or comma-separated).")
    List<Path> events = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "<file>", description = "Where to write the rows (default: stdout).")
    Path out;

    @Option(names = "--dead-letter", paramLabel = "<file.jsonl>",
            description = "Also write every malformed line as one JSON object per line: reason, detail, file, line, stream and the original record.")
    Path deadLetter;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the engine is: cli/'s own classpath holds it; the slim jar (cli-slim/) leaves Flink out. */
    private static final String ENGINE = "dev/pulse/pipeline/replay/Replay.class";

    @Override
    public Integer call() throws Exception {
        if (ReplayCommand.class.getClassLoader().getResource(ENGINE) == null) {
            spec.commandLine().getErr().println("pulse replay: runs Flink, which this jar leaves out: start it with ./pulse replay from a checkout");
            spec.commandLine().getErr().flush();
            return Pulse.INTERNAL;
        }
        DefinitionValidator.Result result = definitions.validate(spec.commandLine().getErr());
        if (!result.isValid()) {
            return 1;
        }
        PrintStream err = System.err;
        try (Writer deadLetters = deadLetter == null ? null : Files.newBufferedWriter(deadLetter, StandardCharsets.UTF_8)) {
            if (out == null) {
                Writer stdout = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
                Replay.run(result.compilation().plans(), events, stdout, err, deadLetters);
                stdout.flush();
            } else {
                try (Writer file = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    Replay.run(result.compilation().plans(), events, file, err, deadLetters);
                }
            }
        }
        return 0;
    }
}
