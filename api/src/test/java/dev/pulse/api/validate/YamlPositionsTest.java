package dev.pulse.api.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.validate.YamlPositions.Position;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlPositionsTest {
    @Test
    void eachFieldOfEachDocumentIsFoundAtItsLineAndColumn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("two.yaml");
        Files.writeString(file, String.join("\n",
                "# a comment",                    // 1
                "kind: Funnel",                   // 2
                "spec:",                          // 3
                "  steps:",                       // 4
                "    - name: viewed",             // 5
                "      events: [view]",           // 6
                "    - name: bought",             // 7
                "      events:",                  // 8
                "        - buy",                  // 9
                "---",                            // 10
                "kind: Metric",                   // 11
                "spec:",                          // 12
                "    window: {size: 1m}",         // 13
                ""));
        List<YamlPositions.Document> docs = YamlPositions.read(file);
        assertThat(docs).hasSize(2);
        YamlPositions.Document funnel = docs.get(0);
        assertThat(funnel.locate("kind")).isEqualTo(new Position(2, 1));
        assertThat(funnel.locate("spec.steps")).isEqualTo(new Position(4, 3));
        assertThat(funnel.locate("spec.steps[1].name")).isEqualTo(new Position(7, 7));
        assertThat(funnel.locate("spec.steps[1].events[0]")).isEqualTo(new Position(9, 11));
        // a missing field points at the mapping that lacks it
        assertThat(funnel.locate("spec.steps[0].conversionWindow")).isEqualTo(funnel.locate("spec.steps[0]"));
        assertThat(funnel.locate("spec.stream")).isEqualTo(new Position(3, 1));
        YamlPositions.Document metric = docs.get(1);
        assertThat(metric.locate("spec.window.size")).isEqualTo(new Position(13, 14));
        assertThat(metric.locate("(root)").line()).isEqualTo(11);
    }
}
