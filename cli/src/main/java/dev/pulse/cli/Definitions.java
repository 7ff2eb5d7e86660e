package dev.pulse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.api.validate.DefinitionFiles;
import dev.pulse.api.validate.DefinitionValidator;
import dev.pulse.api.validate.Finding;
import dev.pulse.api.validate.LoadedDocument;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The {@code -f} and {@code --namespace} options of the commands that read definitions. */
final class Definitions {
    static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"-f", "--filename"}, required = true, split = ",", paramLabel = "<file-or-dir>",
            description = "YAML files or directories of definitions (repeatable, or comma-separated).")
    List<Path> paths = new ArrayList<>();

    @Option(names = {"-n", "--namespace"}, defaultValue = "default",
            description = "Namespace of definitions that name none (default: ${DEFAULT-VALUE}).")
    String namespace;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    /** Loads and validates the definitions; prints every problem to {@code err}, one line each. */
    DefinitionValidator.Result validate(PrintWriter err) throws IOException {
        return validate(paths, namespace, spec.commandLine(), err);
    }

    /** Loads and validates the definitions without printing anything. */
    DefinitionValidator.Result validateQuietly() throws IOException {
        return validate(paths, namespace, spec.commandLine(), null);
    }

    /**
     * Loads and validates the definitions of {@code paths}; prints every problem to {@code err} (when
     * not null), one line each. A path that does not exist is a usage error (exit 2).
     */
    static DefinitionValidator.Result validate(List<Path> paths, String namespace, CommandLine cmd, PrintWriter err) throws IOException {
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new CommandLine.ParameterException(cmd, p + ": no such file or directory");
            }
        }
        List<Finding> unreadable = new ArrayList<>();
        List<LoadedDocument> docs = DefinitionFiles.load(DefinitionFiles.yamlFiles(paths), namespace, unreadable);
        DefinitionValidator.Result result = new DefinitionValidator().validate(docs).after(unreadable);
        if (err != null) {
            result.findings().forEach(err::println);
            err.flush();
        }
        return result;
    }

    /**
     * The problems as one JSON document: {@code {"valid": false, "definitions": n, "problems": [{file,
     * line, column, resource, field, message}]}} (line and column 0 when unknown).
     */
    static ObjectNode problemsJson(DefinitionValidator.Result result) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("valid", result.isValid());
        doc.put("definitions", result.resources().size());
        ArrayNode problems = doc.putArray("problems");
        for (Finding f : result.findings()) {
            problems.addObject().put("file", f.file()).put("line", f.line()).put("column", f.column())
                    .put("resource", f.resource()).put("field", f.field()).put("message", f.message());
        }
        return doc;
    }

    /** The output formats of validate and compile. */
    enum Output {
        text, json
    }
}
