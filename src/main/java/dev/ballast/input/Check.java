package dev.ballast.input;

import java.util.regex.Pattern;

/** The checks value types run in their constructors; the message is the rule, phrased for an operator. */
public final class Check {

    private static final int ECHO_MAX = 80;

    private Check() {
    }

    public static void that(String value, Pattern valid, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("is required");
        }
        if (!valid.matcher(value).matches()) {
            throw new IllegalArgumentException(quoted(value) + " is not " + what);
        }
    }

    /** Echoes rejected input without control characters or unbounded length. */
    public static String quoted(String raw) {
        StringBuilder out = new StringBuilder("'");
        raw.codePoints().limit(ECHO_MAX).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append(raw.codePointCount(0, raw.length()) > ECHO_MAX ? "...'" : "'").toString();
    }
}
