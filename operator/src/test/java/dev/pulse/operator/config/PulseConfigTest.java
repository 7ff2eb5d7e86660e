package dev.pulse.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.render.RenderSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The pipelines' state storage as the chart hands it over: environment plus the mounted properties file. */
class PulseConfigTest {

    @Test
    void stateStorageFromTheChartsEnvironmentAndPropertiesFile() throws IOException {
        // what charts/pulse/templates/operator-config.yaml writes for pipelines.state.flinkConfiguration
        Properties file = new Properties();
        file.load(new StringReader("""
                pulse.flink.state.flink-configuration."s3.endpoint"=http://minio.minio.svc:9000
                pulse.flink.state.flink-configuration."s3.path.style.access"=true
                """));
        SmallRyeConfig config = builder()
                .withSources(new PropertiesConfigSource(file, "pulse.properties", 260))
                .withSources(new EnvConfigSource(Map.of(
                        "PULSE_FLINK_STATE_CHECKPOINTS_DIR", "s3://analytics-flink/checkpoints",
                        "PULSE_FLINK_STATE_SAVEPOINTS_DIR", "s3://analytics-flink/savepoints",
                        "PULSE_FLINK_STATE_SECRET", "pulse-flink-state"), 300))
                .build();

        RenderSettings.StateStorage state = config.getConfigMapping(PulseConfig.class).renderSettings().state();
        assertThat(state.flinkConfiguration()).isEqualTo(Map.of(
                "state.checkpoints.dir", "s3://analytics-flink/checkpoints",
                "state.savepoints.dir", "s3://analytics-flink/savepoints",
                "s3.endpoint", "http://minio.minio.svc:9000",
                "s3.path.style.access", "true"));
        assertThat(state.credentialsSecret()).isEqualTo("pulse-flink-state");
    }

    /** As Quarkus builds it: its duration syntax ("30s") for the probes' settings. */
    private static SmallRyeConfigBuilder builder() {
        return new SmallRyeConfigBuilder().withMapping(PulseConfig.class).withConverter(Duration.class, 200, new DurationConverter());
    }

    @Test
    void unsetStateStorageKeepsTheTemplates() {
        SmallRyeConfig config = builder().build();
        assertThat(config.getConfigMapping(PulseConfig.class).renderSettings().state()).isEqualTo(RenderSettings.StateStorage.TEMPLATE);
    }
}
