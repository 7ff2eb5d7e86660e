package dev.pulse.serving;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Where a page starts: the rows (or, for a breakdown, the series) of the answer skipped, and a
 * fingerprint of the query it belongs to. As text ({@code cursor=}, an answer's {@code next}) it is
 * opaque: base64url of {@code <offset>.<fingerprint>}. A cursor given with another query (range,
 * grain, groupBy or filters) is a 400: its position means nothing there.
 *
 * @param fingerprint the query's ({@link AnswerCache.Key#fingerprint()})
 * @param offset the rows or series skipped
 */
record Cursor(String fingerprint, long offset) {
    /** The longest {@code cursor} text. */
    static final int MAX_LENGTH = 64;

    /** The cursor of a query: its first page when {@code text} is absent. */
    static Cursor parse(String text, String fingerprint) {
        if (text == null || text.isBlank()) {
            return new Cursor(fingerprint, 0);
        }
        if (text.length() > MAX_LENGTH) {
            throw new ApiError.BadParameter("cursor", "cursor is longer than " + MAX_LENGTH + " characters");
        }
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(text.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException ex) {
            throw malformed();
        }
        int dot = decoded.indexOf('.');
        long offset;
        try {
            offset = dot <= 0 || dot > 12 ? -1 : Long.parseLong(decoded.substring(0, dot));
        } catch (NumberFormatException ex) {
            throw malformed();
        }
        if (offset < 0) {
            throw malformed();
        }
        if (!decoded.substring(dot + 1).equals(fingerprint)) {
            throw new ApiError.BadParameter("cursor", "cursor belongs to another query: page with the same from, to, grain, groupBy "
                    + "and filter as the answer that gave it (give from and to explicitly: their defaults move with the clock)");
        }
        return new Cursor(fingerprint, offset);
    }

    private static ApiError.BadParameter malformed() {
        return new ApiError.BadParameter("cursor", "cursor is not a cursor this API gave (an answer's \"next\")");
    }

    /** The cursor after {@code n} more rows (series). */
    String after(long n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((offset + n + "." + fingerprint).getBytes(StandardCharsets.UTF_8));
    }

    /** A short, stable digest of a query's text. */
    static String fingerprint(String query) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(query.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(d, 9));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
