package dev.pulse.serving;

import io.agroal.api.AgroalPoolInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Sets PostgreSQL's {@code statement_timeout} ({@code pulse.serving.statement-timeout}) on every
 * connection the pool opens, so no query of the API (catalog, probe or answer) runs longer: the
 * database cancels it and the request gets a 503 that says so.
 */
@ApplicationScoped
public class StatementTimeout implements AgroalPoolInterceptor {
    @Inject
    ServingConfig config;

    @Override
    public void onConnectionCreate(Connection connection) {
        long ms = Math.max(1, config.statementTimeout().toMillis());
        try (Statement s = connection.createStatement()) {
            s.execute("SET statement_timeout = " + ms);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set statement_timeout (SQLState " + e.getSQLState() + ")");
        }
    }
}
