package dev.pulse.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code KIND NAME} arguments and {@code -n} option of {@code pulse get} and {@code pulse describe}. */
final class ResourceArguments {
    @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", description = "A kind (above), or KIND/NAME.")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "A resource of that kind.")
    String name;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", defaultValue = "default",
            description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    /** The name, from {@code NAME} or from {@code KIND/NAME}. */
    String name() {
        return name == null && kind != null && kind.contains("/") ? kind.substring(kind.indexOf('/') + 1) : name;
    }

    /** The kind, from {@code KIND} or from {@code KIND/NAME}. */
    String kind() {
        return name == null && kind != null && kind.contains("/") ? kind.substring(0, kind.indexOf('/')) : kind;
    }
}
