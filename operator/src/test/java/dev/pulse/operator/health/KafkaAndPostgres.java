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
            try (Connection serving = TestPostgres.database("health_serving");
                    Connection warehouse = TestPostgres.database("health_warehouse")) {
                // the serving store (the operator reads its catalog and tables) and a batch source
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "pulse.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "pulse.jdbc.url", TestPostgres.jdbcUrl("health_serving"),
                "pulse.jdbc.user", "postgres",
                "pulse.jdbc.password", "postgres",
                "pulse.batch-sources.\"warehouse\".jdbc-url", TestPostgres.jdbcUrl("health_warehouse"),
                "pulse.batch-sources.\"warehouse\".username", "postgres",
                "pulse.batch-sources.\"warehouse\".password", "postgres");
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
