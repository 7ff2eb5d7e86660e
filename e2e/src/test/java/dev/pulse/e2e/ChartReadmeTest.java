package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each chart's README.md is generated from its values.yaml: the text above the values table is the
 * README's own, the table lists every value with its default and the comments written above it (and
 * beside it). This fails when the committed table differs from what values.yaml says; run with
 * {@code -Dreadme.update=true} to rewrite it.
 */
class ChartReadmeTest {
    static final String BEGIN = "<!-- values: generated from values.yaml by ChartReadmeTest (-Dreadme.update=true) -->";
    static final String END = "<!-- end of values -->";
    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.-]+):(?: (.*))?$");

    @ParameterizedTest
    @ValueSource(strings = {"charts/pulse", "charts/pulse-namespace"})
    void readmeListsEveryValueWithItsComments(String chart) throws IOException {
        Path dir = Repo.root().resolve(chart);
        String table = table(Files.readAllLines(dir.resolve("values.yaml")));
        Path readme = dir.resolve("README.md");
        String text = Files.readString(readme);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("%s has the generated values section", readme).isGreaterThanOrEqualTo(0);
        assertThat(end).isGreaterThan(begin);
        String expected = text.substring(0, begin) + BEGIN + "\n" + table + END + text.substring(end + END.length());
        if (Boolean.getBoolean("readme.update")) {
            Files.writeString(readme, expected);
            return;
        }
        assertThat(text).as("%s is not what values.yaml says: run ./mvnw -pl e2e test -Dtest=ChartReadmeTest -Dreadme.update=true", readme)
                .isEqualTo(expected);
    }

    @Test
    void aTableHasEveryLeafItsDefaultAsWrittenAListAsItsItemsAndTheCommentsAboveAndBeside() {
        List<String> values = List.of(
                "# The images.",
                "image:",
                "  registry: ghcr.io/acme   # where from",
                "  tag: \"a # b\"",
                "",
                "# not about replicas: a blank line ends a comment",
                "",
                "replicas: 2",
                "peers:",
                "  # who may call",
                "  from:",
                "    - namespaceSelector:",
                "        matchLabels: {team: a}",
                "  enabled: false");
        assertThat(table(values)).isEqualTo("""

                | value | default | description |
                |---|---|---|
                | `image` | | The images. |
                | `image.registry` | `ghcr.io/acme` | where from |
                | `image.tag` | `"a # b"` |  |
                | `replicas` | `2` |  |
                | `peers.from` | `[{"namespaceSelector":{"matchLabels":{"team":"a"}}}]` | who may call |
                | `peers.enabled` | `false` |  |

                """);
    }

    /** The markdown table of a values.yaml: key path, default (a list as its items, in JSON), description. */
    static String table(List<String> lines) {
        JsonNode tree;
        try {
            tree = Rendered.YAML.readTree(String.join("\n", lines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder out = new StringBuilder("\n| value | default | description |\n|---|---|---|\n");
        Deque<int[]> indents = new ArrayDeque<>();
        Deque<String> path = new ArrayDeque<>();
        List<String> comments = new ArrayList<>();
        int listIndent = -1;
        for (String line : lines) {
            String stripped = line.strip();
            int indent = line.length() - line.stripLeading().length();
            if (stripped.isEmpty()) {
                comments.clear();
                continue;
            }
            if (listIndent >= 0 && indent >= listIndent && !stripped.startsWith("#")) {
                continue; // the items of a list default
            }
            listIndent = -1;
            if (stripped.startsWith("#")) {
                comments.add(stripped.replaceFirst("^#+ ?", ""));
                continue;
            }
            if (stripped.startsWith("- ")) {
                listIndent = indent;
                continue;
            }
            Matcher m = KEY.matcher(line);
            if (!m.matches()) {
                continue;
            }
            while (!indents.isEmpty() && indents.peek()[0] >= indent) {
                indents.pop();
                path.removeLast();
            }
            String key = m.group(2);
            String value = m.group(3) == null ? "" : m.group(3);
            String inline = "";
            int hash = value.indexOf(" #");
            if (hash >= 0 && !inQuotes(value, hash)) {
                inline = value.substring(hash + 2).strip();
                value = value.substring(0, hash).strip();
            }
            String full = path.isEmpty() ? key : String.join(".", path) + "." + key;
            List<String> description = new ArrayList<>(comments);
            if (!inline.isEmpty()) {
                description.add(inline);
            }
            comments.clear();
            JsonNode node = tree.at("/" + (path.isEmpty() ? "" : String.join("/", path) + "/") + key);
            if (value.isEmpty() && node.isArray()) {
                // a list written as a block: its items follow, skipped above
                out.append("| `").append(full).append("` | `").append(node.toString().replace("|", "\\|")).append("` | ")
                        .append(cell(String.join(" ", description))).append(" |\n");
                continue;
            }
            if (value.isEmpty()) {
                indents.push(new int[] {indent});
                path.addLast(key);
                if (!description.isEmpty()) {
                    out.append("| `").append(full).append("` | | ").append(cell(String.join(" ", description))).append(" |\n");
                }
                listIndent = -1;
                continue;
            }
            out.append("| `").append(full).append("` | `").append(value.replace("|", "\\|")).append("` | ")
                    .append(cell(String.join(" ", description))).append(" |\n");
        }
        return out.append('\n').toString();
    }

    private static boolean inQuotes(String s, int at) {
        int quotes = 0;
        for (int i = 0; i < at; i++) {
            if (s.charAt(i) == '"') {
                quotes++;
            }
        }
        return quotes % 2 == 1;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
