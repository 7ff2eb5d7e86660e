package dev.pulse.serving;

import io.agroal.api.AgroalPoolInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Sets PostgreSQL's session settings on every connection the pool opens:
 * <ul>
 * <li>{@code statement_timeout} ({@code pulse.serving.statement-timeout}), so no query of the API
 * (catalog, probe or answer) runs longer: the database cancels it and the request gets a 503 that
 * says so;</li>
 * <li>{@code plan_cache_mode = force_custom_plan}: every query is planned with its values. The
 * driver prepares a statement on the server after a few runs and PostgreSQL may then switch to a
 * generic plan, which cannot tell a range of minutes from one of years: the cache's probe
 * ({@code updated_at > ?}, a few recent rows) went from 0.5 ms to 20–40 ms on a million rows
 * when its generic plan scanned the range instead of the {@code updated_at} index. Planning
 * each run costs a fraction of a millisecond.</li>
 * </ul>
 */
@ApplicationScoped
public class SessionSettings implements AgroalPoolInterceptor {
    @Inject
    ServingConfig config;

    @Override
    public void onConnectionCreate(Connection connection) {
        long ms = Math.max(1, config.statementTimeout().toMillis());
        try (Statement s = connection.createStatement()) {
            s.execute("SET statement_timeout = " + ms);
            s.execute("SET plan_cache_mode = force_custom_plan");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set statement_timeout and plan_cache_mode (SQLState " + e.getSQLState() + ")");
        }
    }
}
