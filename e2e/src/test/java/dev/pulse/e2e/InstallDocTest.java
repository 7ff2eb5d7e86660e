package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/install.md works as written, as far as it can run without a cluster: every {@code helm
 * install} and {@code helm upgrade} of a chart in this repository is rendered with {@code helm
 * template} and exactly its flags (those only a live install knows, such as {@code --wait}, aside),
 * once in a cluster with the Prometheus Operator and once without it; the monitoring objects
 * appear only in the first. The charts of other projects are fetched from URLs that keep old
 * releases.
 */
class InstallDocTest {
    /** Flags of install and upgrade that helm template does not take (none of them takes a value). */
    private static final List<String> LIVE_ONLY = List.of("--create-namespace", "--wait", "--atomic", "--reset-then-reuse-values",
            "--reuse-values", "--reset-values", "--install", "--force");
    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
    private static final List<String> MONITORING = List.of("ServiceMonitor", "PodMonitor", "PrometheusRule");

    @Test
    void everyHelmCommandOfOurChartsRendersWithAndWithoutThePrometheusOperator() throws IOException {
        List<List<String>> commands = helmCommands();
        List<List<String>> ours = commands.stream().filter(c -> c.size() > 3 && c.get(3).startsWith("charts/")).toList();
        assertThat(ours).as("docs/install.md installs the chart, upgrades it and onboards a namespace").hasSizeGreaterThanOrEqualTo(3);
        assertThat(ours).as("the install and the upgrade of charts/pulse, whose monitoring objects are checked below")
                .filteredOn(c -> c.get(3).equals("charts/pulse")).hasSizeGreaterThanOrEqualTo(2);
        for (List<String> command : ours) {
            List<String> template = template(command);
            Tools.Result without = Tools.runOk(Repo.root(), template);
            List<String> withOperator = new ArrayList<>(template);
            withOperator.add(Rendered.PROMETHEUS_OPERATOR);
            Tools.Result with = Tools.runOk(Repo.root(), withOperator);
            if (command.get(3).equals("charts/pulse")) {
                assertThat(kinds(without.stdout())).as("%s without the Prometheus Operator", command).doesNotContainAnyElementsOf(MONITORING);
                assertThat(kinds(with.stdout())).as("%s with the Prometheus Operator", command).containsAll(MONITORING);
            }
        }
        assertThat(commands.stream().map(c -> String.join(" ", c))).noneMatch(c -> c.contains("--reuse-values"))
                .noneMatch(c -> c.contains("{cluster}"));
    }

    @Test
    void forcedMonitoringRendersWithoutTheOperatorsApi() {
        Rendered forced = Rendered.render("forced", "--set", "metrics.serviceMonitor.force=true", "--set", "metrics.podMonitor.force=true",
                "--set", "metrics.prometheusRule.force=true");
        assertThat(forced.objects.stream().map(o -> o.path("kind").asText())).containsAll(MONITORING);
    }

    @Test
    void otherProjectsChartsComeFromURLsThatKeepOldReleases() throws IOException {
        String doc = Files.readString(Repo.root().resolve("docs/install.md"));
        assertThat(doc).doesNotContain("downloads.apache.org").contains("https://archive.apache.org/dist/flink/flink-kubernetes-operator-");
        assertThat(Files.readString(Repo.root().resolve("e2e/kind/run.sh"))).doesNotContain("downloads.apache.org");
    }

    /** `helm install|upgrade RELEASE CHART ARGS` as `helm template RELEASE CHART ARGS`, live-only flags left out. */
    static List<String> template(List<String> command) {
        List<String> t = Tools.cmd(Tools.helm(), "template", command.get(2), command.get(3));
        for (String arg : command.subList(4, command.size())) {
            if (!LIVE_ONLY.contains(arg)) {
                t.add(arg);
            }
        }
        return t;
    }

    private static List<String> kinds(String yaml) {
        return Rendered.parse(yaml).stream().map(o -> o.path("kind").asText()).toList();
    }

    /** Every helm install/upgrade command in docs/install.md's bash blocks, as its words. */
    static List<List<String>> helmCommands() throws IOException {
        String doc = Files.readString(Repo.root().resolve("docs/install.md"));
        List<List<String>> commands = new ArrayList<>();
        Matcher m = BASH_BLOCK.matcher(doc);
        while (m.find()) {
            String block = m.group(1).replaceAll("\\\\\\n", " ");
            for (String line : block.split("\\n")) {
                List<String> words = words(line.strip());
                if (words.size() >= 4 && words.get(0).equals("helm") && (words.get(1).equals("install") || words.get(1).equals("upgrade"))) {
                    commands.add(words);
                }
            }
        }
        return commands;
    }

    /** A line's words as a POSIX shell splits them (quotes and backslashes; a comment ends the line). */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    w.append(line.charAt(++i));
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                w = w == null ? new StringBuilder() : w;
            } else if (c == '\\' && i + 1 < line.length()) {
                w = w == null ? new StringBuilder() : w;
                w.append(line.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (w != null) {
                    words.add(w.toString());
                    w = null;
                }
            } else if (c == '#' && w == null) {
                break;
            } else {
                w = w == null ? new StringBuilder() : w;
                w.append(c);
            }
        }
        if (w != null) {
            words.add(w.toString());
        }
        return words;
    }

    @Test
    void wordsAreSplitAsTheShellSplitsThem() {
        assertThat(words("helm install pulse charts/pulse -n x --set 'watchNamespaces={a,b}' --set k=\"v w\"  # comment"))
                .containsExactly("helm", "install", "pulse", "charts/pulse", "-n", "x", "--set", "watchNamespaces={a,b}", "--set", "k=v w");
    }
}
