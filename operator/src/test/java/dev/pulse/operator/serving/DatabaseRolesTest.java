package dev.pulse.operator.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.api.compile.Compilation;
import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.RollupLayout;
import dev.pulse.api.serving.RollupMaintenance;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.operator.config.PulseConfig;
import dev.pulse.testsupport.PostgresExtension;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-namespace writer roles and the serving API's reader role on a real PostgreSQL that checks
 * passwords (scram-sha-256 for every login but the test's superuser), set up as the operator does
 * ({@link DatabaseCredentials}: roles, grants, Secrets in the in-memory Kubernetes API) by an owner
 * that is no superuser, only CREATEROLE and the database's owner. What each role may do is found by
 * doing it.
 */
class DatabaseRolesTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.perClass();

    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final String OWNER = "pulse_owner";
    private static final String OWNER_PASSWORD = "owner-secret-1";
    private static final String PERMISSION_DENIED = "42501";

    private static KubernetesMockServer server;
    private static KubernetesClient client;
    private static String url;

    @BeforeAll
    static void setUp() throws Exception {
        try (Connection admin = POSTGRES.postgres().getPostgresDatabase().getConnection(); Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + OWNER + " LOGIN CREATEROLE PASSWORD '" + OWNER_PASSWORD + "'");
            s.execute("CREATE DATABASE pulse OWNER " + OWNER);
            String hba;
            try (ResultSet r = s.executeQuery("SHOW hba_file")) {
                r.next();
                hba = r.getString(1);
            }
            // the embedded server trusts every login; from here on only the superuser is trusted
            String rules = String.join("\n", "local all postgres trust", "host all postgres 127.0.0.1/32 trust",
                    "host all postgres ::1/128 trust", "local all all scram-sha-256", "host all all 127.0.0.1/32 scram-sha-256",
                    "host all all ::1/128 scram-sha-256");
            s.execute("COPY (SELECT unnest(string_to_array('" + rules + "', E'\\n'))) TO '" + hba + "'");
            s.execute("SELECT pg_reload_conf()");
        }
        url = "jdbc:postgresql://localhost:" + POSTGRES.postgres().getPort() + "/pulse";
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    @AfterAll
    static void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    private static Connection login(String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    private static Connection owner() throws SQLException {
        return login(OWNER, OWNER_PASSWORD);
    }

    private static DatabaseCredentials credentials() {
        return new DatabaseCredentials(DatabaseRolesTest::owner, url, new Serving(), client);
    }

    private static String secretValue(String namespace, String name, String key) {
        Secret s = client.secrets().inNamespace(namespace).withName(name).get();
        assertThat(s).as("Secret %s/%s", namespace, name).isNotNull();
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static AnalysisPlan metric(String namespace) {
        return metric(namespace, "count");
    }

    private static AnalysisPlan metric(String namespace, String aggregation) {
        EventStream stream = YAML.unmarshal("""
                apiVersion: pulse.dev/v1alpha1
                kind: EventStream
                metadata: {name: shop-events, namespace: NS}
                spec:
                  kafka: {topic: shop-events}
                  eventTypeField: event
                  actorField: user_id
                  timestamp: {field: ts}
                  fields: [{name: platform, type: string}]
                """.replace("NS", namespace), EventStream.class);
        Metric metric = YAML.unmarshal("""
                apiVersion: pulse.dev/v1alpha1
                kind: Metric
                metadata: {name: orders, namespace: NS}
                spec:
                  stream: shop-events
                  events: [purchase]
                  aggregation: {type: AGGREGATION}
                  dimensions: [platform]
                  window: {type: tumbling, size: 1m}
                  serving: {rollups: [1h]}
                """.replace("NS", namespace).replace("AGGREGATION", aggregation), Metric.class);
        Compilation c = new PlanCompiler().compile(List.of(stream, metric));
        assertThat(c.problems()).isEmpty();
        PipelinePlan plan = c.plans().get(0);
        try (Connection o = owner()) {
            ServingSchema.apply(o, List.of(plan));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return plan.analyses().get(0);
    }

    /**
     * One row written as the pipeline's sink writes it, as the same role: its day partition made
     * when missing, the upsert, and the rollups refreshed in the same transaction.
     */
    private static void write(Connection c, TableLayout t, double value) throws SQLException {
        write(c, t, value, Instant.parse("2026-12-01T10:00:00Z"));
    }

    private static void write(Connection c, TableLayout t, double value, Instant windowStart) throws SQLException {
        ServingSchema.ensurePartitions(c, t, List.of(windowStart.toEpochMilli()));
        c.setAutoCommit(false);
        try {
            upsert(c, t, value, windowStart);
            new RollupMaintenance(t, AggregationType.count).afterUpsert(c, new long[] {windowStart.toEpochMilli()},
                    List.<String[]>of(new String[] {"ios"}));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static void upsert(Connection c, TableLayout t, double value, Instant windowStart) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(t.upsertSql())) {
            int i = 1;
            p.setTimestamp(i++, Timestamp.from(windowStart));
            p.setTimestamp(i++, Timestamp.from(windowStart.plusSeconds(60)));
            p.setString(i++, "ios");
            for (TableLayout.Column col : TableLayout.METRIC_VALUES) {
                if (col.equals(TableLayout.VALUE)) {
                    p.setDouble(i++, value);
                } else {
                    p.setNull(i++, Types.BIGINT);
                }
            }
            p.setBoolean(i, false);
            assertThat(p.getParameterMetaData().getParameterCount()).isEqualTo(t.upsertParameterCount());
            p.executeUpdate();
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void refused(Connection c, String sql) {
        assertThatThrownBy(() -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(PERMISSION_DENIED));
    }

    @Test
    void eachNamespaceWritesOnlyItsOwnSchemaAndTheServingApiOnlyReads() throws Exception {
        // team-a's tables exist before its role (an upgrade); team-b's are created after (default privileges)
        AnalysisPlan a = metric("team-a");
        DatabaseCredentials operator = credentials();
        operator.ensureNamespace("team-a");
        operator.ensureNamespace("team-b");
        AnalysisPlan b = metric("team-b");
        TableLayout aTable = TableLayout.of(a);
        TableLayout bTable = TableLayout.of(b);
        TableLayout aRollup = RollupLayout.of(a).get(0).table();

        // the Secrets hold each namespace's own role; nothing of the owner leaves the operator
        assertThat(secretValue("team-a", "pulse-pipeline-db", "PULSE_JDBC_USER")).isEqualTo("pulse_writer_team_a");
        assertThat(secretValue("team-b", "pulse-pipeline-db", "PULSE_JDBC_USER")).isEqualTo("pulse_writer_team_b");
        String aPassword = secretValue("team-a", "pulse-pipeline-db", "PULSE_JDBC_PASSWORD");
        String bPassword = secretValue("team-b", "pulse-pipeline-db", "PULSE_JDBC_PASSWORD");
        assertThat(aPassword).isNotEqualTo(bPassword).isNotEqualTo(OWNER_PASSWORD).hasSizeGreaterThanOrEqualTo(40);
        assertThat(secretValue("team-a", "pulse-pipeline-db", "PULSE_JDBC_URL")).isEqualTo(url);
        for (String ns : List.of("team-a", "team-b")) {
            assertThat(client.secrets().inNamespace(ns).list().getItems()).hasSize(1);
        }
        String readerNamespace = client.getNamespace();
        assertThat(secretValue(readerNamespace, "pulse-serving-reader", "PULSE_SERVING_USER")).isEqualTo("pulse_reader");
        String readerPassword = secretValue(readerNamespace, "pulse-serving-reader", "PULSE_SERVING_PASSWORD");

        // a wrong password is refused: the database checks them
        assertThatThrownBy(() -> login("pulse_writer_team_a", bPassword).close()).isInstanceOf(SQLException.class);

        try (Connection writerA = login("pulse_writer_team_a", aPassword)) {
            write(writerA, aTable, 3);
            write(writerA, aTable, 5); // the upsert's update path
            assertThat(count(writerA, "SELECT count(*) FROM " + aTable.qualifiedName())).isEqualTo(1);
            refused(writerA, "SELECT count(*) FROM " + bTable.qualifiedName());
            assertThatThrownBy(() -> write(writerA, bTable, 1)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo(PERMISSION_DENIED));
            refused(writerA, "DELETE FROM " + aTable.qualifiedName());
            refused(writerA, "UPDATE " + Catalog.QUALIFIED + " SET status = 'retired'");
            refused(writerA, "SELECT count(*) FROM " + Catalog.QUALIFIED);
            refused(writerA, "CREATE TABLE " + TableLayout.quote(aTable.schema()) + ".extra (x int)");
            refused(writerA, "DROP TABLE " + aTable.qualifiedName());
            // what it needs of the owner, through the catalog's functions, for its own tables only:
            // a day partition of history (a backfill), and its rollup grains
            write(writerA, aTable, 2, Instant.parse("2026-11-20T08:00:00Z"));
            assertThat(count(writerA, "SELECT count(*) FROM " + aTable.qualifiedName())).isEqualTo(2);
            try (Statement s = writerA.createStatement();
                    ResultSet r = s.executeQuery("SELECT " + Catalog.ROLLUP_GRAINS + "('" + aTable.schema() + "', '" + aTable.table() + "'), "
                            + Catalog.ROLLUP_GRAINS + "('" + bTable.schema() + "', '" + bTable.table() + "')")) {
                r.next();
                assertThat((Long[]) r.getArray(1).getArray()).containsExactly(60_000L, 3_600_000L);
                assertThat(r.getArray(2)).as("another namespace's grains").isNull();
            }
            long day = TableLayout.partitionStart(Instant.parse("2026-11-21T00:00:00Z").toEpochMilli());
            refused(writerA, bTable.createPartitionCallSql(day));
            refused(writerA, aTable.createPartitionSql(day)); // itself, even its own table: only the owner adds partitions
        }
        try (Connection writerB = login("pulse_writer_team_b", bPassword)) {
            write(writerB, bTable, 7);
            refused(writerB, "SELECT count(*) FROM " + aTable.qualifiedName());
            refused(writerB, "UPDATE " + aTable.qualifiedName() + " SET " + TableLayout.quote(TableLayout.FINAL) + " = true");
        }
        try (Connection o = owner()) {
            // the writer's rows, and the rollup buckets it refreshed
            assertThat(count(o, "SELECT count(*) FROM " + aTable.qualifiedName() + " WHERE value = 5")).isEqualTo(1);
            assertThat(count(o, "SELECT count(*) FROM " + aRollup.qualifiedName())).isEqualTo(2);
            assertThat(count(o, "SELECT count(*) FROM " + bTable.qualifiedName() + " WHERE value = 7")).isEqualTo(1);
        }
        try (Connection reader = login("pulse_reader", readerPassword)) {
            assertThat(count(reader, "SELECT count(*) FROM " + aTable.qualifiedName())).isEqualTo(2);
            assertThat(count(reader, "SELECT count(*) FROM " + bTable.qualifiedName())).isEqualTo(1);
            assertThat(count(reader, "SELECT count(*) FROM " + aRollup.qualifiedName())).isEqualTo(2);
            assertThat(count(reader, "SELECT count(*) FROM " + Catalog.QUALIFIED)).isEqualTo(2);
            assertThatThrownBy(() -> write(reader, aTable, 1)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo(PERMISSION_DENIED));
            refused(reader, "UPDATE " + Catalog.QUALIFIED + " SET status = 'retired'");
            refused(reader, "DELETE FROM " + bTable.qualifiedName());
            refused(reader, "CREATE TABLE " + TableLayout.quote(Catalog.SCHEMA) + ".extra (x int)");
        }
    }

    @Test
    void aWriterRoleMergesTheDistinctValuesOfItsRowsIntoItsRollups() throws Exception {
        credentials().ensureNamespace("team-d");
        AnalysisPlan d = metric("team-d", "countDistinct");
        TableLayout t = TableLayout.of(d);
        String password = secretValue("team-d", "pulse-pipeline-db", "PULSE_JDBC_PASSWORD");
        try (Connection writer = login("pulse_writer_team_d", password)) {
            // two windows of one hour, {a, b} and {b, c}, written as the sink writes them
            for (String[] window : List.of(new String[] {"10:00", "a", "b"}, new String[] {"10:01", "b", "c"})) {
                Instant start = Instant.parse("2026-12-01T" + window[0] + ":00Z");
                ServingSchema.ensurePartitions(writer, t, List.of(start.toEpochMilli()));
                writer.setAutoCommit(false);
                try (PreparedStatement p = writer.prepareStatement(t.upsertSql())) {
                    int i = 1;
                    p.setTimestamp(i++, Timestamp.from(start));
                    p.setTimestamp(i++, Timestamp.from(start.plusSeconds(60)));
                    p.setString(i++, "ios");
                    p.setDouble(i++, 2);
                    p.setNull(i++, Types.BIGINT);
                    p.setNull(i++, Types.BIGINT);
                    p.setArray(i++, writer.createArrayOf("text", new String[] {window[1], window[2]}));
                    p.setBoolean(i, true);
                    p.executeUpdate();
                }
                new RollupMaintenance(t, d.metric()).afterUpsert(writer, new long[] {start.toEpochMilli()},
                        List.<String[]>of(new String[] {"ios"}));
                writer.commit();
                writer.setAutoCommit(true);
            }
        }
        try (Connection o = owner()) {
            // the hour's distinct count, not 2 + 2
            assertThat(count(o, "SELECT value::bigint FROM " + RollupLayout.of(d).get(0).table().qualifiedName())).isEqualTo(3);
        }
    }

    @Test
    void aPasswordIsKeptAcrossRestartsAndReplacedWhenItsSecretWasDamaged() throws Exception {
        credentials().ensureNamespace("team-c");
        String first = secretValue("team-c", "pulse-pipeline-db", "PULSE_JDBC_PASSWORD");
        String firstVersion = client.secrets().inNamespace("team-c").withName("pulse-pipeline-db").get().getMetadata().getResourceVersion();

        // a restarted operator sets the same role up again from the Secret: nothing changes
        credentials().ensureNamespace("team-c");
        assertThat(client.secrets().inNamespace("team-c").withName("pulse-pipeline-db").get().getMetadata().getResourceVersion())
                .isEqualTo(firstVersion);
        login("pulse_writer_team_c", first).close();

        // someone put something else into the Secret: a new password, and the old one stops working
        client.secrets().inNamespace("team-c").withName("pulse-pipeline-db").edit(s -> {
            s.getData().put("PULSE_JDBC_PASSWORD", Base64.getEncoder().encodeToString("x'; DROP ROLE postgres; --".getBytes(StandardCharsets.UTF_8)));
            return s;
        });
        credentials().ensureNamespace("team-c");
        String second = secretValue("team-c", "pulse-pipeline-db", "PULSE_JDBC_PASSWORD");
        assertThat(second).isNotEqualTo(first);
        login("pulse_writer_team_c", second).close();
        assertThatThrownBy(() -> login("pulse_writer_team_c", first).close()).isInstanceOf(SQLException.class);
    }

    /**
     * A namespace the platform team did not onboard: the API server forbids the operator its Secret
     * there, and the stream's status says so, without touching the database for that namespace.
     */
    @Test
    void aNamespaceThatWasNotOnboardedIsNamedSo() throws Exception {
        KubernetesMockServer strict = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), false);
        strict.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient forbidden = strict.createClient()) {
            String reader = "pulse_reader_strict";
            String password = DatabaseRoles.newPassword();
            Secret readerSecret = new SecretBuilder().withNewMetadata().withName("pulse-serving-reader")
                    .withNamespace(forbidden.getNamespace()).endMetadata()
                    .addToData("PULSE_SERVING_JDBC_URL", Base64.getEncoder().encodeToString(url.getBytes(StandardCharsets.UTF_8)))
                    .addToData("PULSE_SERVING_USER", Base64.getEncoder().encodeToString(reader.getBytes(StandardCharsets.UTF_8)))
                    .addToData("PULSE_SERVING_PASSWORD", Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)))
                    .build();
            strict.expect().get().withPath("/api/v1/namespaces/" + forbidden.getNamespace() + "/secrets/pulse-serving-reader")
                    .andReturn(200, readerSecret).always();
            strict.expect().get().withPath("/api/v1/namespaces/team-x/secrets/pulse-pipeline-db")
                    .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                            .withMessage("secrets \"pulse-pipeline-db\" is forbidden").build()).always();
            DatabaseCredentials operator = new DatabaseCredentials(DatabaseRolesTest::owner, url, new Serving(reader), forbidden);
            assertThatThrownBy(() -> operator.ensureNamespace("team-x")).isInstanceOfSatisfying(DatabaseCredentials.Unavailable.class, e -> {
                assertThat(e.reason()).isEqualTo("ServingStoreUnavailable");
                assertThat(e.getMessage()).isEqualTo("namespace team-x is not onboarded: the operator is forbidden to write its Secret "
                        + "pulse-pipeline-db (install charts/pulse-namespace there)");
            });
            login(reader, password).close();
            try (Connection o = owner()) {
                assertThat(count(o, "SELECT count(*) FROM pg_roles WHERE rolname = 'pulse_writer_team_x'")).isZero();
            }
        } finally {
            strict.destroy();
        }
    }

    /** The operator's defaults for the Secrets' and the reader role's names. */
    private static final class Serving implements PulseConfig.Serving {
        private final String readerRole;

        Serving() {
            this("pulse_reader");
        }

        Serving(String readerRole) {
            this.readerRole = readerRole;
        }

        @Override
        public String databaseSecret() {
            return "pulse-serving-db";
        }

        @Override
        public String pipelineSecret() {
            return "pulse-pipeline-db";
        }

        @Override
        public String readerSecret() {
            return "pulse-serving-reader";
        }

        @Override
        public String readerRole() {
            return readerRole;
        }

        @Override
        public Duration retentionInterval() {
            return Duration.ZERO;
        }

        @Override
        public int retentionBatchSize() {
            return 1;
        }
    }
}
