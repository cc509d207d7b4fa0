package dev.ballast.catalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A software version of the libvirt stack (the libvirt daemon, qemu-guest-agent), compared numerically
 * part by part: 9.10.0 is newer than 9.9.0.
 */
record Version(int major, int minor, int micro) implements Comparable<Version> {

    /** The pattern {@code GET /api/steps} shows for a version parameter; {@link #parse} takes exactly these. */
    static final String PATTERN = "\\d{1,4}\\.\\d{1,4}(\\.\\d{1,4})?";
    private static final Pattern TEXT = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})(?:\\.(\\d{1,4}))?");

    static Version parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + Values.printable(String.valueOf(text))
                    + "' is not a version: digits.digits or digits.digits.digits, such as 8.0.0");
        }
        return new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    @Override
    public int compareTo(Version other) {
        int major = Integer.compare(this.major, other.major);
        int minor = Integer.compare(this.minor, other.minor);
        return major != 0 ? major : minor != 0 ? minor : Integer.compare(micro, other.micro);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + micro;
    }
}
