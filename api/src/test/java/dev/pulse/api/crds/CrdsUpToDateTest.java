package dev.pulse.api.crds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs in crds/ are generated from the code (the crd-generator plugin writes them to
 * target/classes/META-INF/fabric8), finished by {@link CrdFinishing} and committed; this fails when
 * the two differ.
 * Run with {@code -Dcrds.update=true} to rewrite crds/ from the code.
 */
class CrdsUpToDateTest {
    private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
    private static final Path COMMITTED = Path.of("../crds");

    @Test
    void committedCrdsMatchTheCode() throws IOException {
        List<Path> generated;
        try (Stream<Path> s = Files.list(GENERATED)) {
            generated = s.filter(p -> p.getFileName().toString().endsWith("-v1.yml")).sorted().toList();
        }
        assertThat(generated).hasSize(4);
        for (Path g : generated) {
            Path committed = COMMITTED.resolve(g.getFileName().toString().replace("-v1.yml", ".yaml"));
            String expected = CrdFinishing.finish(Files.readString(g));
            if (Boolean.getBoolean("crds.update")) {
                Files.writeString(committed, expected);
            }
            assertThat(committed).as("crds/%s is missing: run ./mvnw -pl api test -Dcrds.update=true", committed.getFileName()).exists();
            assertThat(Files.readString(committed))
                    .as("crds/%s differs from the code: run ./mvnw -pl api test -Dcrds.update=true and commit", committed.getFileName())
                    .isEqualTo(expected);
        }
        try (Stream<Path> s = Files.list(COMMITTED)) {
            assertThat(s.count()).as("crds/ holds exactly the four Pulse CRDs").isEqualTo(4);
        }
    }
}
