package dev.pulse.cli;

import dev.pulse.api.plan.PipelinePlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.ToIntFunction;
import picocli.CommandLine;

/**
 * What {@code pulse local}, {@code get}, {@code describe}, {@code token} and {@code plan} (without
 * {@code --against}) run: the local module (local/), found on the classpath. The {@code pulse}
 * script runs these commands with local's classpath and the others with this module's, because the
 * embedded stack's Kafka and Kubernetes libraries clash with the Quarkus and Flink ones here; the
 * command tree and its help are the same on both. Everything that reaches a running stack lives
 * behind this interface, so this module stays offline.
 */
public interface StackCommands {
    /** {@code pulse local}: starts the stack and runs until stopped; the exit code. */
    int local(Local options);

    /** {@code pulse get}: prints a table of resources; the exit code. */
    int get(Get request, PrintWriter out, PrintWriter err);

    /** {@code pulse describe}: prints one resource, its status and Events; the exit code. */
    int describe(Describe request, PrintWriter out, PrintWriter err);

    /** {@code pulse token -n NS}: prints a token of the running stack that may read {@code namespace} only; the exit code. */
    int token(String namespace, PrintWriter out, PrintWriter err);

    /**
     * {@code pulse plan} without {@code --against}: what the running local stack holds, and for each
     * analysis of {@code after} how many records its backfill would read now.
     *
     * @param after the plans of the definitions to apply
     * @param err where to say what could not be read (Kafka not answering: records unknown)
     * @return empty when no local stack is running
     * @throws IllegalStateException when a stack runs but its Kubernetes API does not answer
     */
    Optional<Running> running(List<PipelinePlan> after, PrintWriter err);

    /**
     * What a running stack holds.
     *
     * @param where one line naming what was read (the Kubernetes API and Kafka addresses)
     * @param definitions the EventStreams, Metrics, Funnels and Retentions its Kubernetes API holds
     * @param recordsToRead per analysis id of the plans {@code after}: the records in its topic from
     *     its backfill start on (earliest: every retained record; a time or duration: from the first
     *     offset at or after that time by record timestamp; none: 0); absent when Kafka could not tell
     */
    record Running(String where, List<HasMetadata> definitions, Map<String, Long> recordsToRead) {
    }

    /**
     * @param definitions the definitions directory, null for {@code samples/}
     * @param rate shop events per second (daily average), 0 for none
     * @param reset whether to delete the data of earlier runs first
     * @param dataDir where data and logs live, null for {@code .pulse/}
     */
    record Local(Path definitions, double rate, boolean reset, Path dataDir, List<String> events) {
    }

    /** @param kind a kind as typed (plural, singular or short name), null for the four Pulse kinds */
    record Get(String kind, String name, String namespace, boolean allNamespaces) {
    }

    record Describe(String kind, String name, String namespace) {
    }

    /** A KIND the stack does not know: a usage error. */
    final class UnknownKind extends RuntimeException {
        public UnknownKind(String kind) {
            super("unknown kind '" + kind + "'");
        }
    }

    /**
     * Runs {@code command} with the local module's implementation: exit 1 with a line saying so when
     * this is not local's classpath, a usage error (exit 2) for an unknown kind.
     */
    static int run(CommandLine commandLine, ToIntFunction<StackCommands> command) {
        String name = commandLine.getCommandName();
        Optional<StackCommands> stack = ServiceLoader.load(StackCommands.class).findFirst();
        if (stack.isEmpty()) {
            commandLine.getErr().println("pulse " + name + ": runs with the local module's classpath: start it with ./pulse " + name);
            commandLine.getErr().flush();
            return 1;
        }
        try {
            return command.applyAsInt(stack.get());
        } catch (UnknownKind e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage(), e);
        }
    }
}
