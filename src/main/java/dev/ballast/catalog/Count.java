package dev.ballast.catalog;

import dev.ballast.remote.RemoteArg;

/** A whole number within bounds a step declares. */
public record Count(long value) implements RemoteArg {

    public static Count parse(String text, long min, long max) {
        if (text == null || !text.matches("[0-9]{1,12}")) {
            throw new IllegalArgumentException("'" + Values.printable(String.valueOf(text)) + "' is not a whole number");
        }
        long value = Long.parseLong(text);
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return new Count(value);
    }

    @Override
    public String arg() {
        return Long.toString(value);
    }
}
