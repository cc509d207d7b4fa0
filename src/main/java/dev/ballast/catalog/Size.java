package dev.ballast.catalog;

import java.util.regex.Pattern;

import dev.ballast.remote.RemoteArg;

/** A size as LVM takes it: a number and a unit, M, G or T ({@code 500G}). */
public record Size(String text) implements RemoteArg {

    private static final Pattern SIZE = Pattern.compile("[1-9][0-9]{0,6}[MGT]");

    public Size {
        Values.matching("size", text, SIZE, "a whole number followed by M, G or T, such as 500G");
    }

    public long bytes() {
        long number = Long.parseLong(text.substring(0, text.length() - 1));
        int shift = switch (text.charAt(text.length() - 1)) {
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 40;
        };
        return number << shift;
    }

    @Override
    public String arg() {
        return text;
    }
}
