package dev.pulse.pipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.testsupport.PostgresExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared serving table layout on a real PostgreSQL: DDL, upsert, null dimensions, finality. */
class ServingTableTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.perClass();
    static EmbeddedPostgres postgres;
    static final TableLayout LAYOUT = TableLayout.of("pulse_growth", "mt_orders_abc", List.of("d_platform", "d_country"), TableLayout.METRIC_VALUES);

    @BeforeAll
    static void start() throws Exception {
        postgres = POSTGRES.postgres();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            ServingSchema.createTable(c, LAYOUT);
            ServingSchema.createTable(c, LAYOUT); // idempotent
        }
    }

    private static void upsert(Connection c, long start, String platform, String country, Double value, boolean isFinal) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(LAYOUT.upsertSql())) {
            assertThat(ps.getParameterMetaData().getParameterCount()).isEqualTo(LAYOUT.upsertParameterCount());
            ps.setObject(1, OffsetDateTime.ofInstant(Instant.ofEpochMilli(start), ZoneOffset.UTC));
            ps.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(start + 60_000), ZoneOffset.UTC));
            ps.setString(3, TableLayout.storedDimension(platform));
            ps.setString(4, TableLayout.storedDimension(country));
            if (value == null) {
                ps.setNull(5, Types.DOUBLE);
            } else {
                ps.setDouble(5, value);
            }
            ps.setNull(6, Types.BIGINT);
            ps.setNull(7, Types.BIGINT);
            ps.setBoolean(8, isFinal);
            ps.executeUpdate();
        }
    }

    private static String read(Connection c, long start, String platform, String country) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT \"value\", \"final\", \"d_platform\" FROM " + LAYOUT.qualifiedName()
                + " WHERE window_start = ? AND d_platform = ? AND d_country = ?")) {
            ps.setObject(1, OffsetDateTime.ofInstant(Instant.ofEpochMilli(start), ZoneOffset.UTC));
            ps.setString(2, TableLayout.storedDimension(platform));
            ps.setString(3, TableLayout.storedDimension(country));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) + "/" + rs.getBoolean(2) + "/" + TableLayout.dimensionValue(rs.getString(3)) : "none";
            }
        }
    }

    @Test
    void upsertsAreIdempotentAndAFinalRowIsNeverWrittenAgain() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            upsert(c, 0, "ios", "US", 1.0, false);
            upsert(c, 0, "ios", "US", 2.0, false);
            assertThat(read(c, 0, "ios", "US")).isEqualTo("2.0/false/ios");
            upsert(c, 0, "ios", "US", 3.0, true);
            upsert(c, 0, "ios", "US", 3.0, true);
            assertThat(read(c, 0, "ios", "US")).isEqualTo("3.0/true/ios");
            upsert(c, 0, "ios", "US", 1.0, false); // a provisional row replayed after a restart
            assertThat(read(c, 0, "ios", "US")).isEqualTo("3.0/true/ios");
            upsert(c, 0, "ios", "US", 2.0, true); // another final number for the same row (a resumed version, an older checkpoint)
            assertThat(read(c, 0, "ios", "US")).isEqualTo("3.0/true/ios");
        }
    }

    @Test
    void aMissingDimensionIsItsOwnGroupAndReadsBackAsNull() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            upsert(c, 60_000, null, "US", 5.0, true);
            upsert(c, 60_000, "", "US", 6.0, true);
            upsert(c, 60_000, null, null, null, true);
            assertThat(read(c, 60_000, null, "US")).isEqualTo("5.0/true/null");
            assertThat(read(c, 60_000, "", "US")).isEqualTo("6.0/true/");
            assertThat(read(c, 60_000, null, null)).isEqualTo("null/true/null");
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM " + LAYOUT.qualifiedName() + " WHERE window_start = to_timestamp(60)")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(3);
            }
        }
    }

    @Test
    void identifiersAreValidatedAndQuoted() {
        assertThat(TableLayout.quote("d_platform")).isEqualTo("\"d_platform\"");
        assertThatThrownBy(() -> TableLayout.quote("x\"; DROP TABLE t; --")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TableLayout.of("Public", "t", List.of(), TableLayout.METRIC_VALUES)).isInstanceOf(IllegalArgumentException.class);
        assertThat(LAYOUT.createTableSql()).contains("PRIMARY KEY (\"window_start\", \"window_end\", \"d_platform\", \"d_country\")");
    }
}
