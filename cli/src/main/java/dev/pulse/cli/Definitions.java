package dev.pulse.cli;

import dev.pulse.api.validate.DefinitionFiles;
import dev.pulse.api.validate.DefinitionValidator;
import dev.pulse.api.validate.LoadedDocument;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code -f} and {@code --namespace} options of the commands that read definitions. */
final class Definitions {
    @Option(names = {"-f", "--filename"}, required = true, split = ",", paramLabel = "<file-or-dir>",
            description = "YAML files or directories of definitions (repeatable, or comma-separated).")
    List<Path> paths = new ArrayList<>();

    @Option(names = {"-n", "--namespace"}, defaultValue = "default",
            description = "Namespace of definitions that name none (default: ${DEFAULT-VALUE}).")
    String namespace;

    /** Loads and validates the definitions; prints every problem to {@code err}, one per line. */
    DefinitionValidator.Result validate(PrintWriter err) throws IOException {
        return validate(paths, namespace, err);
    }

    /** Loads and validates the definitions of {@code paths}; prints every problem to {@code err}, one per line. */
    static DefinitionValidator.Result validate(List<Path> paths, String namespace, PrintWriter err) throws IOException {
        List<String> unreadable = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                unreadable.add(p + ": no such file or directory");
            } else {
                files.add(p);
            }
        }
        List<LoadedDocument> docs = DefinitionFiles.load(DefinitionFiles.yamlFiles(files), namespace, unreadable);
        DefinitionValidator.Result result = new DefinitionValidator().validate(docs);
        unreadable.forEach(err::println);
        result.findings().forEach(err::println);
        err.flush();
        if (!unreadable.isEmpty()) {
            return new DefinitionValidator.Result(result.resources(), result.compilation(),
                    result.findings().isEmpty() ? List.of(new dev.pulse.api.validate.Finding("", 0, 0, "", "", "unreadable input")) : result.findings());
        }
        return result;
    }
}
