package dev.pulse.pipeline.metric;

/**
 * Dimension values as one string key: each value as {@code <length>:<value>}, a missing value as
 * {@code ~}. Length-prefixed, so no value can collide with another, whatever it contains.
 */
public final class DimensionKey {
    private DimensionKey() {
    }

    public static String encode(String[] values) {
        if (values.length == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder(16 * values.length);
        for (String v : values) {
            if (v == null) {
                b.append('~');
            } else {
                b.append(v.length()).append(':').append(v);
            }
        }
        return b.toString();
    }

    /** The key of a funnel's or retention's row: its period start, then its dimension values. */
    public static String row(long period, String[] dimensions) {
        String[] key = new String[dimensions.length + 1];
        key[0] = Long.toString(period);
        System.arraycopy(dimensions, 0, key, 1, dimensions.length);
        return encode(key);
    }

    public static String[] decode(String key, int count) {
        String[] values = new String[count];
        int pos = 0;
        for (int i = 0; i < count; i++) {
            if (key.charAt(pos) == '~') {
                pos++;
                continue;
            }
            int colon = key.indexOf(':', pos);
            int length = Integer.parseInt(key, pos, colon, 10);
            values[i] = key.substring(colon + 1, colon + 1 + length);
            pos = colon + 1 + length;
        }
        return values;
    }
}
