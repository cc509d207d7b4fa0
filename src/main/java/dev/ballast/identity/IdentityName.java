package dev.ballast.identity;

import java.util.regex.Pattern;

import dev.ballast.problem.InvalidInputException;

/** The name hosts use to refer to an SSH identity. */
public record IdentityName(String value) {

    private static final Pattern VALID = Pattern.compile("[a-z0-9](?:[a-z0-9._-]{0,62})");
    // After the patterns: static fields initialise in order, and the constructor uses them.
    public static final IdentityName DEFAULT = new IdentityName("default");

    public IdentityName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(value == null || value.isEmpty() ? "is required"
                    : "is not an identity name (1 to 63 lower-case letters, digits, '.', '-' or '_')");
        }
    }

    public static IdentityName parse(String field, String raw) {
        return InvalidInputException.forField(field, () -> new IdentityName(raw));
    }

    @Override
    public String toString() {
        return value;
    }
}
