package dev.pulse.operator.health;

import dev.pulse.operator.drift.TestPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.util.Map;

/** A real Kafka broker (child JVM) and PostgreSQL for the operator under test, wired into its config. */
public class KafkaAndPostgres implements QuarkusTestResourceLifecycleManager {
    static ChildKafka kafka;

    @Override
    public Map<String, String> start() {
        try {
            kafka = ChildKafka.start();
            try (Connection c = TestPostgres.database("health_serving")) {
                // the database the serving tables live in; the operator reads its catalog
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "pulse.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "pulse.jdbc.url", TestPostgres.jdbcUrl("health_serving"),
                "pulse.jdbc.user", "postgres",
                "pulse.jdbc.password", "postgres");
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
