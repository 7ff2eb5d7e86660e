package dev.pulse.render;

import dev.pulse.api.compile.Names;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * The FlinkDeployment templates of pipeline-templates/: from a configured directory (read on
 * every use, so a mounted ConfigMap of templates can change without a restart) or, when none is
 * configured, from the copies built into the operator.
 */
public final class PipelineTemplates {
    private static final String BUILT_IN = "pipeline-templates/";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final Optional<Path> directory;

    public PipelineTemplates(Optional<Path> directory) {
        this.directory = directory;
    }

    /** A fresh copy of the named template. */
    public FlinkDeployment load(String name) {
        if (!Names.isDnsLabel(name)) {
            throw new TemplateNotFoundException("pipeline template '" + name + "' is not a valid template name");
        }
        String text = read(name).orElseThrow(() -> new TemplateNotFoundException("no pipeline template '" + name + "' in "
                + directory.map(Path::toString).orElse("the operator's built-in templates")));
        try {
            FlinkDeployment template = SERIALIZATION.unmarshal(text, FlinkDeployment.class);
            template.setStatus(null);
            return template;
        } catch (RuntimeException e) {
            throw new InvalidTemplateException("pipeline template '" + name + "' is not a FlinkDeployment: " + e.getMessage(), e);
        }
    }

    private Optional<String> read(String name) {
        String file = name + ".yaml";
        try {
            if (directory.isPresent()) {
                Path path = directory.get().resolve(file);
                return Files.isRegularFile(path) ? Optional.of(Files.readString(path)) : Optional.empty();
            }
            try (InputStream in = PipelineTemplates.class.getClassLoader().getResourceAsStream(BUILT_IN + file)) {
                return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pipeline template " + file, e);
        }
    }
}
