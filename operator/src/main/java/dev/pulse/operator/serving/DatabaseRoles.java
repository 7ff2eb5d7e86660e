package dev.pulse.operator.serving;

import dev.pulse.api.compile.Names;
import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.TableLayout;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * The PostgreSQL roles of the serving database besides the owner (the operator's own login, which
 * creates every schema and table):
 * <ul>
 * <li>one <b>writer</b> role per namespace, {@code pulse_writer_<namespace>}, which the namespace's
 * pipelines log in as: it may read and write the tables of that namespace's schema
 * ({@link Names#namespaceSchema}) and nothing else (no other schema, not the catalog, no DDL);</li>
 * <li>one <b>reader</b> role for the serving API: it may read the catalog and every namespace's
 * serving tables, and write nothing.</li>
 * </ul>
 * Grants cover the tables that exist and, through default privileges of the owner, every table the
 * owner creates later in those schemas. Every statement is idempotent.
 */
public final class DatabaseRoles {
    /** Generated passwords: URL-safe Base64; anything else in a Secret is replaced by a new one. */
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9_-]{20,200}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Serialises role changes of several operator processes (CREATE ROLE is not IF NOT EXISTS). */
    private static final long ROLE_LOCK = 0x70756c7365726fL;
    private static final String WRITER_PRIVILEGES = "SELECT, INSERT, UPDATE";

    private DatabaseRoles() {
    }

    /** The login role of a namespace's pipelines. */
    public static String writerRole(String namespace) {
        return Names.identifier("pulse_writer", namespace);
    }

    /** A new random password (32 bytes, URL-safe Base64). */
    public static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a password is one this class could have generated (and so may be written into SQL). */
    public static boolean isUsable(String password) {
        return password != null && PASSWORD.matcher(password).matches();
    }

    /**
     * Creates (or updates) the namespace's writer role with this password, its schema, and the
     * grants of the writer and of the reader role on that schema, in one transaction.
     */
    public static void ensureWriter(Connection c, String namespace, String password, String readerRole) throws SQLException {
        String role = writerRole(namespace);
        String schema = TableLayout.quote(Names.namespaceSchema(namespace));
        inTransaction(c, s -> {
            login(c, s, role, password);
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            // schemas other than public grant nothing to PUBLIC: only these roles (and the owner) reach it
            s.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + TableLayout.quote(role));
            s.execute("GRANT " + WRITER_PRIVILEGES + " ON ALL TABLES IN SCHEMA " + schema + " TO " + TableLayout.quote(role));
            s.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " GRANT " + WRITER_PRIVILEGES + " ON TABLES TO "
                    + TableLayout.quote(role));
            readable(s, schema, readerRole);
        });
    }

    /**
     * Creates (or updates) the serving API's read-only role with this password and lets it read the
     * catalog. The namespaces' schemas become readable as {@link #ensureWriter} sets each up.
     */
    public static void ensureReader(Connection c, String readerRole, String password) throws SQLException {
        inTransaction(c, s -> {
            login(c, s, readerRole, password);
            // the owner creates the catalog's table with the first analysis; default privileges cover it then
            s.execute("CREATE SCHEMA IF NOT EXISTS " + TableLayout.quote(Catalog.SCHEMA));
            readable(s, TableLayout.quote(Catalog.SCHEMA), readerRole);
        });
    }

    private static void readable(Statement s, String schema, String readerRole) throws SQLException {
        String reader = TableLayout.quote(readerRole);
        s.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + reader);
        s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + reader);
        s.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " GRANT SELECT ON TABLES TO " + reader);
    }

    /**
     * A login role with no attribute beyond LOGIN (it inherits nothing and may create nothing). New
     * roles are neither superuser nor replication roles; those two attributes are not named here, since
     * only a superuser may name them and the owner needs no more than CREATEROLE.
     */
    private static void login(Connection c, Statement s, String role, String password) throws SQLException {
        if (!isUsable(password)) {
            throw new IllegalArgumentException("not a generated password");
        }
        String quoted = TableLayout.quote(role);
        s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE "
                + quoted + "; END IF; END $$");
        s.execute("ALTER ROLE " + quoted + " WITH LOGIN NOCREATEDB NOCREATEROLE NOINHERIT");
        // hashed here (SCRAM-SHA-256) by the driver: the password itself never reaches the server's statement log
        c.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), "scram-sha-256");
    }

    @FunctionalInterface
    private interface Work {
        void run(Statement s) throws SQLException;
    }

    private static void inTransaction(Connection c, Work work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + ROLE_LOCK + ")");
            work.run(s);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
