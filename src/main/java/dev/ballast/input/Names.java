package dev.ballast.input;

import java.util.regex.Pattern;

import dev.ballast.problem.InvalidInputException;

/** Names of things made over the API (users, tokens, sweeps): short, lower case, safe in a URL, a log line and an audit record. */
public final class Names {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private Names() {
    }

    /** Whether the name could be one: a name that cannot is never looked up (PostgreSQL refuses NUL in text). */
    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static void check(String field, String name) {
        if (!valid(name)) {
            throw InvalidInputException.of(field, "must be 1-63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
        }
    }
}
