package dev.ballast.catalog;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numeric part of a kernel release, compared as a tuple: 5.14.0-362.8.1.el9_3 is 5.14.0, so
 * 5.9 &lt; 5.14 where a string compare would say the opposite. The distribution suffix is ignored.
 */
record KernelVersion(int major, int minor, int patch) implements Comparable<KernelVersion> {

    static final String PATTERN = "\\d{1,3}\\.\\d{1,3}(\\.\\d{1,4})?";
    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    private static final Comparator<KernelVersion> ORDER = Comparator.comparingInt(KernelVersion::major)
            .thenComparingInt(KernelVersion::minor).thenComparingInt(KernelVersion::patch);

    /** A minimum as a plan writes it: {@code 5.15} or {@code 5.15.0}. */
    static KernelVersion parseMinimum(String text) {
        if (text == null || !text.matches(PATTERN)) {
            throw new IllegalArgumentException("'" + Values.printable(String.valueOf(text))
                    + "' is not a kernel version such as 5.15 or 5.15.0");
        }
        return fromRelease(text);
    }

    /** The version a {@code uname -r} release starts with; null when it does not start with one. */
    static KernelVersion fromRelease(String release) {
        Matcher m = RELEASE.matcher(release);
        if (!m.find()) {
            return null;
        }
        try {
            return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }

    @Override
    public int compareTo(KernelVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
