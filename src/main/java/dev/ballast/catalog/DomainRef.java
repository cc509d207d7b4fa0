package dev.ballast.catalog;

import java.util.regex.Pattern;

import dev.ballast.remote.RemoteArg;

/**
 * Which libvirt domains a step addresses: one by UUID, one by name (resolved to its UUID once, because
 * libvirt names may hold characters no command should carry), or {@code all}.
 */
public record DomainRef(String text) {

    public static final String ALL = "all";
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");

    public DomainRef {
        if (text == null || !(text.equals(ALL) || UUID.matcher(text).matches() || NAME.matcher(text).matches())) {
            throw new IllegalArgumentException("'" + Values.printable(String.valueOf(text)) + "' is not a domain: "
                    + "give a UUID, a name of letters, digits and ._- starting with a letter, or 'all'");
        }
    }

    public boolean all() {
        return text.equals(ALL);
    }

    public boolean isUuid() {
        return UUID.matcher(text).matches();
    }

    /** The name, for {@code virsh domuuid}; only meaningful when this is neither a UUID nor {@code all}. */
    public RemoteArg nameArg() {
        return () -> text;
    }

    /** A domain's UUID as virsh prints it, checked before it is used in any command. */
    public record Uuid(String value) implements RemoteArg {

        public Uuid {
            Values.matching("domain UUID", value, UUID, "8-4-4-4-12 lower-case hexadecimal digits");
        }

        @Override
        public String arg() {
            return value;
        }
    }
}
