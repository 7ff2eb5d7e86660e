package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart installs exactly the committed CRDs (crds/, generated from api/). */
class CrdTest {

    static List<Path> committedCrds() {
        try (Stream<Path> s = Files.list(Repo.root().resolve("crds"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void chartCrdsAreByteForByteCopiesOfCrds() throws IOException {
        List<Path> committed = committedCrds();
        assertThat(committed).hasSize(4);
        try (Stream<Path> s = Files.list(Repo.chart().resolve("crds"))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()))
                    .as("charts/pulse/crds holds the same files as crds/")
                    .isEqualTo(committed.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
        for (Path crd : committed) {
            assertThat(Files.readAllBytes(Repo.chart().resolve("crds").resolve(crd.getFileName())))
                    .as("charts/pulse/crds/%s differs from crds/%s: cp crds/*.yaml charts/pulse/crds/", crd.getFileName(), crd.getFileName())
                    .isEqualTo(Files.readAllBytes(crd));
        }
    }

    @Test
    void renderedCrdsEqualTheCommittedOnes() throws IOException {
        Rendered r = Rendered.render("with-crds", "--include-crds");
        List<JsonNode> rendered = r.ofKind("CustomResourceDefinition");
        assertThat(rendered).hasSize(committedCrds().size());
        for (Path crd : committedCrds()) {
            JsonNode expected = Rendered.YAML.readTree(crd.toFile());
            JsonNode actual = r.one("CustomResourceDefinition", expected.at("/metadata/name").asText());
            assertThat(actual).as(crd.getFileName().toString()).isEqualTo(expected);
        }
    }
}
