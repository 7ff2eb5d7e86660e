package dev.pulse.serving;

import dev.pulse.testsupport.PostgresExtension;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** The Quarkus test resource that points the datasource at a database of the test JVM's shared PostgreSQL. */
public class ServingDatabase implements QuarkusTestResourceLifecycleManager {
    /** The database the application under test reads; a test class picks its own with the init arg {@code database}. */
    private String database = "serving_api";

    @Override
    public void init(Map<String, String> initArgs) {
        String name = initArgs.getOrDefault("database", database);
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        database = name;
    }

    @Override
    public Map<String, String> start() {
        try (Connection c = PostgresExtension.shared().database(database)) {
            c.isValid(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", PostgresExtension.shared().jdbcUrl(database),
                "quarkus.datasource.username", "postgres",
                "pulse.serving.catalog-refresh", "0s");
    }

    @Override
    public void stop() {
        // kept for the JVM: other tests use the same instance; it stops when the JVM exits
    }
}
