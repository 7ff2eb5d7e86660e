package dev.pulse.serving;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** One embedded PostgreSQL 14 for the test JVM; also the Quarkus test resource that points the datasource at it. */
public class TestPostgres implements QuarkusTestResourceLifecycleManager {
    private static EmbeddedPostgres postgres;
    /** The database the application under test reads; a test class picks its own with the init arg {@code database}. */
    private String database = "serving_api";

    static synchronized EmbeddedPostgres instance() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return postgres;
    }

    static String jdbcUrl(String database) {
        return instance().getJdbcUrl("postgres", database);
    }

    /** A connection to a fresh database of the given name (created when missing). */
    static Connection database(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "")) {
            try (var s = c.createStatement()) {
                var r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
                if (!r.next()) {
                    s.execute("CREATE DATABASE " + name);
                }
            }
        }
        return DriverManager.getConnection(jdbcUrl(name), "postgres", "");
    }

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
        try (Connection c = database(database)) {
            c.isValid(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(database),
                "quarkus.datasource.username", "postgres",
                "pulse.serving.catalog-refresh", "0s");
    }

    @Override
    public void stop() {
        // kept for the JVM: other tests use the same instance; the shutdown hook stops it
    }
}
