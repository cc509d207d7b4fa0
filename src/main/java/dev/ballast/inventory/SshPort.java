package dev.ballast.inventory;

import dev.ballast.input.Check;
import dev.ballast.problem.InvalidInputException;

/** A TCP port for SSH. */
public record SshPort(int value) {

    public static final SshPort DEFAULT = new SshPort(22);

    public SshPort {
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException(value + " is not a port number (1 to 65535)");
        }
    }

    /** From text, as inventories carry it. */
    public static SshPort parse(String field, String raw) {
        if (raw == null || !raw.matches("\\d{1,5}")) {
            throw InvalidInputException.of(field, raw == null ? "is required" : Check.quoted(raw) + " is not a port number");
        }
        return of(field, Integer.parseInt(raw));
    }

    public static SshPort of(String field, int value) {
        return InvalidInputException.forField(field, () -> new SshPort(value));
    }
}
