package dev.ballast.catalog;

import java.util.regex.Pattern;

/** The one place that checks a value's text against its pattern, with a message that says what is allowed. */
final class Values {

    private Values() {
    }

    static String matching(String what, String text, Pattern pattern, String rule) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a " + what + " is required");
        }
        if (text.length() > 128 || !pattern.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + printable(text) + "' is not a valid " + what + ": " + rule);
        }
        return text;
    }

    /** The offending value shown in an error, with control characters made visible and length bounded. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(40).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.length() > 40 ? out + "..." : out.toString();
    }
}
