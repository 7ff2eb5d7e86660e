package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testsupport.Checkout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code pulse local} does before it starts anything. */
class LocalStackTest {
    @TempDir
    Path data;

    @Test
    void aSecondStackBesideARunningOneRefusesAndLeavesItsFiles() throws Exception {
        Map<String, Object> running = Map.of("pid", ProcessHandle.current().pid(), "apiServer", "http://localhost:1");
        StackFile.write(data, running);
        Files.createDirectories(data.resolve("logs"));
        LocalStack second = new LocalStack(new StackOptions(Checkout.root(), data, Checkout.root().resolve("samples"), 0, false));
        assertThat(second.run()).isEqualTo(1);
        assertThat(StackFile.read(data)).map(m -> m.get("apiServer")).contains("http://localhost:1");
        assertThat(data.resolve("logs/measurements.txt")).as("no measurement of the running stack's processes").doesNotExist();
    }
}
