package dev.ballast.inventory;

import dev.ballast.input.Check;
import java.util.regex.Pattern;

import dev.ballast.problem.InvalidInputException;

/** A host's unique name in the inventory: letters, digits, dots, dashes and underscores, as Ansible uses them. */
public record HostName(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,126}[A-Za-z0-9])?");

    public HostName {
        Check.that(value, VALID, "a host name (1 to 128 letters, digits, '.', '-' or '_', "
                + "starting and ending with a letter or digit)");
    }

    public static HostName parse(String field, String raw) {
        return InvalidInputException.forField(field, () -> new HostName(raw));
    }

    @Override
    public String toString() {
        return value;
    }
}
