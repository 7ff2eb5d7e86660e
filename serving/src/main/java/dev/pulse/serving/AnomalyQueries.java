package dev.pulse.serving;

import static dev.pulse.serving.Selection.instant;
import static dev.pulse.serving.Selection.number;

import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.TableLayout;
import java.sql.Connection;
import java.sql.SQLException;

/** Reads a metric's anomalies table: one row per anomalous point, every dimension. */
final class AnomalyQueries {
    private AnomalyQueries() {
    }

    static Answers.Anomalies anomalies(Connection c, Catalog.Entry e, TableLayout table, Selection sel, int limit, Cursor at)
            throws SQLException {
        int firstGroup = table.rowColumnCount() + 1;
        Selection.Page<Answers.Anomaly> page = sel.read(c, sel.selectRows(e, table, table), limit, at, r -> new Answers.Anomaly(
                instant(r, TableLayout.WINDOW_START), instant(r, TableLayout.WINDOW_END), sel.dimensions(r, firstGroup),
                number(r, TableLayout.OBSERVED.name()), number(r, TableLayout.EXPECTED.name()), number(r, TableLayout.LOWER.name()),
                number(r, TableLayout.UPPER.name()), number(r, TableLayout.SCORE.name())));
        return new Answers.Anomalies(page.rows(), page.next(at));
    }
}
