package dev.ballast.inventory;

import dev.ballast.input.Check;
import java.util.regex.Pattern;

import dev.ballast.problem.InvalidInputException;

/** The remote login: a POSIX user name, never anything a shell could read as more. */
public record SshUser(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
    // After the patterns: static fields initialise in order, and the constructor uses them.
    public static final SshUser DEFAULT = new SshUser("root");

    public SshUser {
        Check.that(value, VALID, "a user name (a letter or '_', then up to 31 letters, digits, '_', '.' or '-')");
    }

    public static SshUser parse(String field, String raw) {
        return InvalidInputException.forField(field, () -> new SshUser(raw));
    }

    @Override
    public String toString() {
        return value;
    }
}
