package dev.pulse.serving;

import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.common.Durations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a query selects, parsed and checked against an analysis: a time range over window starts,
 * the dimensions to group by, and dimension filters. Every name is checked against the catalog's
 * dimensions before it picks a column; every value is bound.
 *
 * @param from inclusive, window start
 * @param to exclusive, window start
 * @param groupBy the dimensions grouped by, in the analysis's order
 * @param filters per dimension, the values accepted (any of)
 */
public record Selection(Instant from, Instant to, List<String> groupBy, Map<String, List<String>> filters) {

    /** The earliest instant a query may name: no window starts before 1970 (an event time before it is malformed). */
    public static final Instant EARLIEST = Instant.EPOCH;
    /** The latest instant a query may name. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    /** The longest text of {@code from} or {@code to}. */
    public static final int MAX_INSTANT_LENGTH = 64;
    /** The longest {@code groupBy} text (the whole request line is at most 16384 bytes: 414 beyond). */
    public static final int MAX_GROUP_BY_LENGTH = 1024;
    /** The most {@code filter} parameters of one query. */
    public static final int MAX_FILTERS = 64;
    /** The longest value of one {@code filter} (a dimension value; a stream's own limit is usually far lower). */
    public static final int MAX_FILTER_VALUE_LENGTH = 1024;
    /** The coarsest {@code grain}. */
    public static final long MAX_GRAIN_MS = 366L * 24 * 3600 * 1000;

    /** Parses the query parameters; {@code groupBy} absent means every dimension, empty means none. */
    static Selection parse(Catalog.Entry e, String fromText, String toText, String groupByText, List<String> filterTexts,
            Instant now, long defaultRangeMs) {
        Instant to = toText == null || toText.isBlank() ? now : instant("to", toText);
        Instant from;
        if (fromText == null || fromText.isBlank()) {
            from = to.minusMillis(defaultRangeMs);
            from = from.isBefore(EARLIEST) ? EARLIEST : from;
        } else {
            from = instant("from", fromText);
        }
        if (from.isAfter(to)) {
            throw new ApiError.BadParameter("from", "from (" + from + ") is after to (" + to + ")");
        }
        List<String> groupBy;
        if (groupByText == null) {
            groupBy = e.dimensions();
        } else {
            if (groupByText.length() > MAX_GROUP_BY_LENGTH) {
                throw new ApiError.BadParameter("groupBy", "groupBy is longer than " + MAX_GROUP_BY_LENGTH + " characters");
            }
            List<String> asked = new ArrayList<>();
            for (String d : groupByText.split(",")) {
                String name = d.trim();
                if (!name.isEmpty()) {
                    known(e, name, "groupBy");
                    if (asked.contains(name)) {
                        throw new ApiError.BadParameter("groupBy", "groupBy lists '" + name + "' twice");
                    }
                    asked.add(name);
                }
            }
            groupBy = e.dimensions().stream().filter(asked::contains).toList();
        }
        List<String> texts = filterTexts == null ? List.of() : filterTexts;
        if (texts.size() > MAX_FILTERS) {
            throw new ApiError.BadParameter("filter", "filter is given " + texts.size() + " times; at most " + MAX_FILTERS);
        }
        Map<String, List<String>> filters = new TreeMap<>();
        for (String f : texts) {
            int colon = f.indexOf(':');
            if (colon <= 0) {
                throw new ApiError.BadParameter("filter", "filter '" + shown(f) + "' is not dimension:value");
            }
            String dim = f.substring(0, colon);
            known(e, dim, "filter");
            String value = f.substring(colon + 1);
            if (value.length() > MAX_FILTER_VALUE_LENGTH) {
                throw new ApiError.BadParameter("filter", "filter: the value of '" + dim + "' is longer than " + MAX_FILTER_VALUE_LENGTH
                        + " characters");
            }
            if (value.indexOf('\0') >= 0) {
                throw new ApiError.BadParameter("filter", "filter: the value of '" + dim + "' contains a NUL character, "
                        + "which no dimension value holds");
            }
            filters.computeIfAbsent(dim, k -> new ArrayList<>()).add(value);
        }
        return new Selection(from, to, groupBy, filters);
    }

    /**
     * An instant parameter between {@link #EARLIEST} and {@link #LATEST}.
     *
     * @throws ApiError.BadParameter naming {@code name} when it is too long, not an ISO-8601 instant, or out of range
     */
    static Instant instant(String name, String text) {
        if (text.length() > MAX_INSTANT_LENGTH) {
            throw new ApiError.BadParameter(name, name + " is longer than " + MAX_INSTANT_LENGTH + " characters");
        }
        Instant i;
        try {
            i = Instant.parse(text);
        } catch (DateTimeException ex) {
            throw new ApiError.BadParameter(name, name + " '" + text + "' is not an ISO-8601 instant like 2026-01-01T00:00:00Z "
                    + "between " + EARLIEST + " and " + LATEST);
        }
        if (i.isBefore(EARLIEST) || i.isAfter(LATEST)) {
            throw new ApiError.BadParameter(name, name + " '" + text + "' is outside " + EARLIEST + " to " + LATEST);
        }
        return i;
    }

    /** Parses a grain ({@code 1h}); absent means the analysis's window size. */
    static long grain(Catalog.Entry e, String text) {
        if (text == null || text.isBlank()) {
            return e.windowMs();
        }
        long g = Durations.parse(text).filter(d -> d.compareTo(java.time.Duration.ofMillis(MAX_GRAIN_MS)) <= 0)
                .orElseThrow(() -> new ApiError.BadParameter("grain", "grain '" + shown(text)
                        + "' is not a duration like 1m, 1h or 1d of at most " + Durations.format(MAX_GRAIN_MS))).toMillis();
        if (g <= 0 || g % e.windowMs() != 0) {
            throw new ApiError.BadParameter("grain", "grain '" + text + "' must be a positive multiple of the window size "
                    + Durations.format(e.windowMs()));
        }
        return g;
    }

    /** A parameter's text as an error message quotes it: at most 64 characters. */
    static String shown(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    /**
     * The same selection over whole windows of an analysis whose windows start every
     * {@code spacingMs}: {@code from} and {@code to} rounded up to window starts. The same windows
     * start in the rounded range as in the asked one, so the answer is unchanged, and queries a few
     * seconds apart (a dashboard refreshing up to now) share one cache entry.
     */
    Selection roundedToWindows(long spacingMs) {
        return new Selection(ceil(from, spacingMs), ceil(to, spacingMs), groupBy, filters);
    }

    /** A tumbling series' range widened to whole buckets of the grain. */
    Selection alignedToGrain(long grainMs) {
        long f = Math.floorDiv(from.toEpochMilli(), grainMs) * grainMs;
        return new Selection(Instant.ofEpochMilli(f), ceil(to, grainMs), groupBy, filters);
    }

    private static Instant ceil(Instant i, long stepMs) {
        return Instant.ofEpochMilli(-Math.floorDiv(-i.toEpochMilli(), stepMs) * stepMs);
    }

    private static void known(Catalog.Entry e, String dimension, String parameter) {
        if (!e.dimensions().contains(dimension)) {
            throw new ApiError.BadParameter(parameter, parameter + ": unknown dimension '" + shown(dimension) + "' of " + e.kind() + " '" + e.name()
                    + "'; its dimensions are " + e.dimensions());
        }
    }

    /** The column of a dimension. */
    static String column(Catalog.Entry e, String dimension) {
        return e.dimensionColumns().get(e.dimensions().indexOf(dimension));
    }

    /** Whether every dimension is grouped by (no combining across dimension values). */
    boolean allDimensions(Catalog.Entry e) {
        return groupBy.size() == e.dimensions().size();
    }

    /** {@code WHERE} over window starts and the filters; bind with {@link #bind}. */
    String where(Catalog.Entry e) {
        String start = TableLayout.quote(TableLayout.WINDOW_START);
        StringBuilder w = new StringBuilder(" WHERE ").append(start).append(" >= ? AND ").append(start).append(" < ?");
        for (String dim : filters.keySet()) {
            w.append(" AND ").append(TableLayout.quote(column(e, dim))).append(" = ANY (?)");
        }
        return w.toString();
    }

    /** Binds the range and filters from parameter 1; returns the next parameter index. */
    int bind(Connection c, PreparedStatement s) throws SQLException {
        return bind(c, s, 1);
    }

    /** Binds the range and filters from parameter {@code first}; returns the next parameter index. */
    int bind(Connection c, PreparedStatement s, int first) throws SQLException {
        int i = first;
        s.setTimestamp(i++, Timestamp.from(from));
        s.setTimestamp(i++, Timestamp.from(to));
        for (List<String> values : filters.values()) {
            s.setArray(i++, c.createArrayOf("text", values.toArray()));
        }
        return i;
    }

    /** The grouped dimension values of a row, read from its columns starting at index {@code first}. */
    Map<String, String> dimensions(ResultSet r, int first) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        for (int k = 0; k < groupBy.size(); k++) {
            out.put(groupBy.get(k), TableLayout.dimensionValue(r.getString(first + k)));
        }
        return out;
    }

    /** The grouped columns, quoted and comma-separated (with a leading comma when any). */
    String groupColumns(Catalog.Entry e) {
        StringBuilder b = new StringBuilder();
        for (String d : groupBy) {
            b.append(", ").append(TableLayout.quote(column(e, d)));
        }
        return b.toString();
    }

    /**
     * The whole rows of {@code layout} ({@link TableLayout#rowSelectList()}, then the grouped
     * columns) from {@code table} in the range and filters, in time order; ends in {@code LIMIT ?
     * OFFSET ?} (every query of the API has a limit). Bind with {@link #bind}.
     */
    String selectRows(Catalog.Entry e, TableLayout layout, TableLayout table) {
        return "SELECT " + layout.rowSelectList() + groupColumns(e) + " FROM " + table.qualifiedName() + where(e)
                + " ORDER BY " + TableLayout.windowOrder() + groupColumns(e) + " LIMIT ? OFFSET ?";
    }

    /**
     * Some rows of an answer, and whether more follow.
     *
     * @param rows at most the limit
     * @param more whether the query had another row
     */
    record Page<T>(List<T> rows, boolean more) {
        /** The cursor of the next page, null when none. */
        String next(Cursor at) {
            return more ? at.after(rows.size()) : null;
        }
    }

    /** Reads one answer row from the current row of a result set. */
    interface RowReader<T> {
        T read(ResultSet r) throws SQLException;
    }

    /**
     * Runs a query that ends in {@code LIMIT ? OFFSET ?}: a page of at most {@code limit} rows
     * from the cursor's offset, and whether more follow.
     */
    <T> Page<T> read(Connection c, String sql, int limit, Cursor at, RowReader<T> reader) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = bind(c, s);
            s.setInt(i, limit + 1);
            s.setLong(i + 1, at.offset());
            List<T> out = rows(s, limit + 1, reader);
            boolean more = out.size() > limit;
            return new Page<>(more ? out.subList(0, limit) : out, more);
        }
    }

    /** Reads the rows of a bound statement; more than {@code max} is a 400 ({@link #tooMany}). */
    static <T> List<T> rows(PreparedStatement s, int max, RowReader<T> reader) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                if (out.size() == max) {
                    throw tooMany(max);
                }
                out.add(reader.read(r));
            }
        }
        return out;
    }

    static ApiError.BadParameter tooMany(int limit) {
        return new ApiError.BadParameter("limit", "the page has more than " + limit + " points (limit): ask for fewer series (top), "
                + "narrow the range, coarsen the grain or filter");
    }

    /** A nullable double column. */
    static Double number(ResultSet r, String column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? null : v;
    }

    /** A timestamp column as an ISO-8601 instant. */
    static String instant(ResultSet r, String column) throws SQLException {
        return r.getTimestamp(column).toInstant().toString();
    }

    /** The cache key of an answer over this selection. */
    AnswerCache.Key key(String endpoint, Catalog.Entry e, long grainMs, int limit, int top) {
        return new AnswerCache.Key(endpoint, e.namespace(), e.name(), e.version(), grainMs, from.toEpochMilli(), to.toEpochMilli(),
                List.copyOf(groupBy), Map.copyOf(filters.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, v -> List.copyOf(v.getValue())))), limit, top, 0, "json");
    }
}
