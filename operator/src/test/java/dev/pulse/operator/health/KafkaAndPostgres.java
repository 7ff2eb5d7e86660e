package dev.pulse.operator.health;

import dev.pulse.testsupport.ChildKafka;
import dev.pulse.testsupport.PostgresExtension;
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
            try (Connection serving = PostgresExtension.shared().freshDatabase("health_serving");
                    Connection warehouse = PostgresExtension.shared().freshDatabase("health_warehouse")) {
                // the serving store (the operator reads its catalog and tables) and a batch source
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "pulse.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "pulse.jdbc.url", PostgresExtension.shared().jdbcUrl("health_serving"),
                "pulse.jdbc.user", "postgres",
                "pulse.jdbc.password", "postgres",
                "pulse.batch-sources.\"warehouse\".jdbc-url", PostgresExtension.shared().jdbcUrl("health_warehouse"),
                "pulse.batch-sources.\"warehouse\".username", "postgres",
                "pulse.batch-sources.\"warehouse\".password", "postgres",
                "pulse.batch-sources.\"warehouse\".namespaces", "drift");
    }

    /** The broker, for tests in other packages. */
    public static ChildKafka kafka() {
        return kafka;
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
